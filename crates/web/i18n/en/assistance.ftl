## Assistance: needs assessment, individual plan, shelter stays (SPEC §5)

nav-assistance = Assistance
assistance-title = Assistance
assistance-needs = Needs and services
assistance-need = Need
assistance-no-assessment = The needs have not been assessed yet.
assistance-other-services = Services for needs the latest assessment does not list
assistance-stays = Temporary accommodation
assistance-no-stays = No stays.
assistance-payment = One-time financial assistance
assistance-no-payment = No payment application.
assistance-assessments = Needs assessments
assistance-conflict = Someone else has just changed this record. Look at what changed and try again.
assistance-flash-assessed = The needs assessment was saved.
assistance-flash-planned = The service was added to the plan.
assistance-flash-service = The service's state was changed.
assistance-flash-stay = The stay was recorded.
assistance-flash-extended = The stay was extended.
assistance-flash-ended = The end of the stay was recorded.
assistance-flash-payment = The payment application was recorded.
assistance-list-title = Assistance: what needs attention
assistance-list-lead = Needs with nothing planned, late services, stays near their end and payments waiting. Case references only.
assistance-list-needs = Needs with no service planned
assistance-list-services = Services past their planned date
assistance-list-stays = Stays ending soon or past their end
assistance-list-payments = Payments waiting for a decision or the money
assistance-list-more = The first { $shown } of { $all } are shown.
assistance-list-none = None.
limit-2000 = At most 2000 characters.

assessment-new = Assess needs
assessment-again = Reassess needs
assessment-title = Needs assessment
assessment-lead = Tick the person's needs and choose how urgent each is. Earlier assessments are kept.
assessment-on = Assessed on
assessment-needs = Needs
assessment-needs-hint = Tick at least one need and choose its urgency.
assessment-note = General note
assessment-save = Save the assessment
need-urgency = Urgency
need-urgency-urgent = Urgent
need-urgency-soon = Soon
need-urgency-routine = Routine
need-note = Note
need-met = met
need-gap = nothing planned
need-in-work = in progress

service-new = Plan a service
service-plan-for = Plan a service
service-lead = A service answers one of the needs. When another organisation provides it, a referral is sent: it accepts the referral and records the delivery.
service-need = Need
service-provider = Provided by
service-provider-hint = Your unit: no referral; another organisation: through a referral.
service-own-unit = your unit
service-planned-from = Planned start
service-planned-to = Deliver by
service-planned-to-hint = After this date the service is listed as late.
service-note = Note
service-referral-part = Referral (when another organisation provides it)
service-referral-part-hint = What to share with the organisation. An adult's identifying data only with their consent.
service-save = Plan
service-from = from { $date }
service-overdue = late
service-referral = referral
service-record-step = Record a change
service-on = Date
service-reason = Reason
service-what-done = What was done
service-what-done-hint = Briefly, without more of the person's data than needed.
service-delivered-on = Delivered on
service-record-delivery = Record that the service was delivered
service-state-planned = Planned
service-state-referred = Referred
service-state-in_progress = In progress
service-state-delivered = Delivered
service-state-refused = Refused by the person
service-state-not_available = Not available
service-action-start = Started
service-action-deliver = Delivered
service-action-refuse = Refused by the person
service-action-unavailable = Not available
referral-service = Service of the individual plan

stay-new = Record a stay
stay-lead = A stay in an assistance institution lasts up to three months; longer only by a decision to extend it.
stay-institution = Institution
stay-institution-hint = Where the person stays.
stay-started-on = Start
stay-planned-end = Planned end
stay-planned-end-hint = When left empty: three months from the start.
stay-note = Note
stay-save = Record
stay-until = until
stay-limit = Limit without an extension
stay-extend = Extend the stay
stay-decided-by = Decided by
stay-decision-no = Decision number
stay-decision-on = Decision date
stay-new-end = New end
stay-extension-reason = Reason for the extension
stay-extension-reason-hint = For example: the person is a witness in criminal proceedings.
stay-extension-decision = decision: { $text }
stay-end = Record the end
stay-ended-on = Ended
stay-end-note = Note
stay-flag-ending_soon = ends within 14 days
stay-flag-past_end = past its end
stay-flag-beyond_limit = over three months without an extension

waiting-needs = { $count ->
    [one] { $count } need has no service planned
   *[other] { $count } needs have no service planned
  }
waiting-services = { $count ->
    [one] { $count } service is late
   *[other] { $count } services are late
  }
waiting-stays = { $count ->
    [one] { $count } stay is ending or past its end
   *[other] { $count } stays are ending or past their end
  }
waiting-payments = { $count ->
    [one] { $count } payment is waiting for a decision or the money
   *[other] { $count } payments are waiting for a decision or the money
  }

err-need-one = Tick at least one need.
err-need-urgency = Choose the urgency of every ticked need.
err-need-not-assessed = Choose a need of the latest assessment.
err-end-before-start = The end cannot come before the start.
err-stay-beyond-limit = Without an extension a stay lasts at most three months. Longer only by a decision to extend it.
err-extension-not-later = The new end must be later than the current one.
err-stay-ended = The stay has ended.

## The one-time payment (CMU 660)

payment-new = Record a payment application
payment-title = One-time financial assistance
payment-lead = The application follows a granted status. The category comes from the person's age on the application date, the amount from the multiplier and the subsistence minimum in force on that date.
payment-status = Status
payment-status-granted = granted, certificate { $text }
payment-valid-until = valid until
payment-birth-date = Date of birth
payment-birth-date-missing = not given — add it to the person's data
payment-amounts-today = Amounts today
payment-open = Open the payment
payment-applied-on = Applied on
payment-applied-on-hint = The category, the amount and the due date (a month) follow from it.
payment-applicant = Who applied
payment-applicant-person = The person
payment-applicant-representative = The legal representative (who also receives it)
payment-representative-name = Representative: full name
payment-representative-hint = For a child separated from the family or a person without capacity.
payment-representative-document = Document of authority
payment-representative-document-hint = Its title, number and date.
payment-lost-ability = The person has lost the ability to work
payment-lost-ability-hint = For an adult; give the basis.
payment-lost-ability-basis = Basis (document)
payment-save = Record the application
payment-category = Category
payment-category-under_6 = Child under 6
payment-category-child_6_18 = Child 6 to 18
payment-category-working_age = Person of working age
payment-category-lost_ability = Person who lost the ability to work
payment-state-applied = Applied
payment-state-approved = Approved
payment-state-paid = Paid
payment-state-refused = Refused
payment-action-approve = Approve
payment-action-pay = Record the payment
payment-action-refuse = Refuse
payment-step-on = Date
payment-ref = Payment document number
payment-ref-hint = The number of the payment order or statement.
payment-grounds = Grounds for refusal
payment-appeal-notice = Notice of the right to appeal
payment-appeal-notice-default = The decision may be appealed to the higher authority or in court.
payment-amount = Amount
payment-due = Pay by
payment-basis = Determined as { $text }
payment-certificate = Status certificate
payment-approved-on = Approved
payment-paid-on = Paid
payment-refused-on = Refused
payment-recorded-by = Recorded by
payment-register-lines = Register lines
payment-flash-applied = The application was recorded.
payment-flash-step = Recorded.
payment-flash-reversed = The register line was reversed.

register-title = Payment register
register-from = From
register-to = To
register-show = Show
register-download = Download XLSX
register-download-names = XLSX with recipients' names
register-names-hint = The file with names is for the accounting unit only; its download is recorded in the audit log.
register-totals = Totals by category
register-total = Total
register-count = Count
register-lines = Lines
register-empty = No entries in this period.
register-more = Lines in the period: { $count }; the XLSX has them all.
register-first-page = ← To the start
register-next-page = Next 100 lines →
register-reverse = Reverse
register-reverse-lead = The register does not change: a reversal line with a negative amount, linked to this line, is added.
register-reverse-reason = Reason for the reversal
register-reversed-by = reversed by line { $line }
register-line-payment = Payment: { $text }
register-line-reversal = Reversal: { $text }
register-state-reversal = Reversal
register-reversal-note = Reversal of line { $text }
register-sheet = Register
register-file-title = Register of one-time financial assistance to persons affected by trafficking, { $period }
register-names-notice = Contains recipients' personal data. For the accounting unit only.
register-col-no = No
register-col-entered = Entered
register-col-case = Case
register-col-recipient = Recipient
register-col-category = Category
register-col-amount = Amount, UAH
register-col-applied = Applied
register-col-approved = Approved
register-col-paid = Paid
register-col-payment-ref = Payment document
register-col-state = State
register-col-note = Note

rates-title = Subsistence minimums and the payment's multiplier
rates-lead = The one-time assistance = multiplier × the subsistence minimum of the category, both in force on the application date. A new row changes no payment already determined.
rates-about = Subsistence minimums by category and the multiplier of the one-time payment, with the dates they take effect.
rates-minimums = Subsistence minimums
rates-multipliers = Multiplier
rates-effective-from = In force from
rates-factor = Multiplier
rates-source = Source (law, resolution)
rates-add-minimums = Add a row of subsistence minimums
rates-add-multiplier = Add a multiplier
rates-save = Add
rates-saved = The row was added.

err-payment-no-status = The person has no granted status of a person affected by trafficking: no payment is possible.
err-payment-exists = A payment for this status is recorded already: one payment per granted status.
err-payment-before-status = The application cannot come before the status was granted.
err-payment-status-expired = The status certificate had expired on the application date.
err-payment-birth-date = The person's date of birth is needed to determine the category.
err-payment-no-rates = No subsistence minimum or multiplier is in force on the application date.
err-amount = Give an amount in hryvnias, e.g. 2817 or 2817.50.
err-factor = The multiplier is a whole number from 1 to 100.
err-rate-date-taken = There is a row with that date already.
err-line-reversed = This line has been reversed already.
err-line-not-payment = Only a payment line can be reversed.
err-register-too-long = The period holds over 100,000 lines — choose a shorter one.

audit-action-needs_assessed = Needs assessed
audit-action-service_planned = Service planned
audit-action-service_updated = Service state changed
audit-action-stay_recorded = Stay recorded
audit-action-stay_extended = Stay extended
audit-action-stay_ended = Stay ended
audit-action-assistance_list_viewed = Assistance list viewed
audit-action-payment_applied = Payment application recorded
audit-action-payment_step = Payment step
audit-action-payment_viewed = Payment viewed
audit-action-payment_reversed = Register line reversed
audit-action-payment_register_viewed = Payment register viewed
audit-action-payment_register_downloaded = Payment register downloaded
audit-action-payment_rates_changed = Subsistence minimums or multiplier changed

letter-title = Covering letter to the accounting unit (DOCX)
letter-addressee = Addressee
letter-addressee-default = To the accounting and reporting unit
letter-addressee-hint = The unit, and if needed the head's position and name.
letter-number = Outgoing number
letter-number-hint = When empty, the letter leaves room to write it by hand.
letter-date = Date of the letter
letter-position = Position of the signatory
letter-signatory = Name of the signatory (Given SURNAME)
letter-signatory-hint = For example: Hanna DEMCHENKO.
letter-executor-field = Prepared by (name, phone)
letter-executor-hint = For example: Hanna Demchenko, 0532 00 00 00.
letter-download = Download the letter
letter-number-date = No { $text }
letter-subject = On the register of one-time financial assistance payments
letter-body = Please find enclosed, for the transfer of funds, the register of one-time financial assistance payments to persons granted the status of a person affected by trafficking (CMU resolution 660 of 25 July 2012) for the period from { $from } to { $to }.
letter-body-total = The register holds { $count ->
    [one] { $count } payment
   *[other] { $count } payments
  } for a total of { $sum }; the amounts by category are in the table.
letter-body-term = The funds are transferred within a month of the application.
letter-enclosure = Enclosure: the register of payments for the period from { $from } to { $to } (XLSX file).
letter-executor = Prepared by:
