# procedure — the status procedure (CMU resolution 417), the journal, deadlines

nav-deadlines = Deadlines
nav-journal = Journal

## Application
proc-application-title = Register an application for status
proc-application-lead = Applications are registered in the unit's journal: the number is given automatically, in order within the year.
proc-registered-on = Registered on
proc-date-hint = Date as yyyy-mm-dd (or dd.mm.yyyy). Not later than today.
proc-applicant = Applicant
proc-applicant-hint = The person who applied or, for a child, the legal representative or whoever learned of the child.
proc-representative = Representative
proc-representative-hint = If a representative applies: their name and on what authority.
proc-foreigner = Foreigner or stateless person
proc-foreigner-hint = If the applicant does not speak Ukrainian, the application is filled in with an interpreter: record the language and the interpreter.
proc-language = Applicant's language
proc-interpreter = Interpreter
proc-register = Register the application
proc-err-journal-conflict = Another application took the same journal number at this very moment. What you typed is still in the form — send it again.
proc-flash-registered = The application is registered in the journal.

## The procedure page
proc-title = Application
proc-journal-number = Journal number
proc-registered-by = Registered by
proc-case = Case
proc-application = Application
proc-next-step = Next step
proc-due = due
proc-awaiting-police = The reply is awaited from the police: the request was sent in the system and the police answer it there. If the reply came on paper, record it below.
proc-no-next-step = No steps with a deadline.
proc-facts = What is recorded
proc-no-facts = No steps recorded yet.
proc-police-referral = Request to the police
proc-download-certificate = Download the certificate (DOCX)
proc-download-refusal = Download the refusal letter (DOCX)
proc-actions = Next actions
proc-step-date = Date
proc-choose = — choose —
proc-note = Note
proc-history = History
proc-history-date = Step date
proc-history-what = What was done
proc-history-who = Who
proc-history-recorded = Recorded at
proc-err-conflict = While you were filling in the form, someone else recorded a step of this procedure. What you typed is still in the form: look at the page and send it again if the step is still needed.
proc-flash-step = The step is recorded.
proc-yes = yes
proc-no = no

## Step forms
proc-form-interview = Interview
proc-form-interview-lead = The questionnaire: responsible unit and official, date, consent of the person (representative), identity, sex, account of events. The person gives a non-disclosure undertaking.
proc-account = Account of events (questionnaire)
proc-account-hint = Write down the person's account. Only the officials of your unit see it.
proc-consent = The person (representative) consented to the interview
proc-non-disclosure = A non-disclosure undertaking was taken
proc-save-interview = Record the interview
proc-form-no-interview = No interview held
proc-form-no-interview-lead = Record why no interview was held.
proc-no-interview-reason = Reason
proc-save-no-interview = Record the reason
proc-form-police-request = Request to the National Police
proc-form-police-request-lead = The request goes to the territorial police body as a referral in the system. The police answer it there (whether criminal proceedings were opened, and their number), and the answer appears here by itself.
proc-send-police-request = Send the request
proc-form-police-reply = Police reply (received on paper)
proc-form-police-reply-lead = Fill in only if the police answered by letter rather than in the system.
proc-proceedings-ref-hint = The number of the criminal proceedings in the register, if opened.
proc-save-police-reply = Record the reply
proc-form-conclusion = Conclusion
proc-save-conclusion = Record the conclusion
proc-form-grant = Decision: grant the status
proc-form-grant-lead = A certificate is issued after the decision; its validity counts from the decision date.
proc-certificate-no-hint = The certificate number is usually the application's journal number.
proc-save-grant = Grant the status
proc-form-refuse = Decision: refuse the status
proc-form-refuse-lead = The refusal letter tells the person that the decision may be appealed in court.
proc-grounds-hint = The grounds go into the letter the person receives.
proc-save-refuse = Refuse
proc-form-notify = Notifying the person
proc-form-notify-lead = Record when the person was told of the decision.
proc-notify-hint = For example, how they were told (in person, by post).
proc-save-notify = Record the notification
proc-form-extend = Extending the certificate
proc-form-extend-lead = The new validity counts from the date of extension.
proc-save-extend = Extend
proc-form-terminate = Terminating the status
proc-termination-reason = Grounds for termination
proc-save-terminate = Terminate
proc-form-appeal = Appeal against the refusal
proc-form-appeal-lead = Record that the person went to court.
proc-appeal-hint = For example, the court and the case number.
proc-save-appeal = Record the appeal
proc-form-appeal-outcome = Outcome of the appeal
proc-form-appeal-outcome-lead = If the court overturned the refusal, the unit decides again.
proc-save-appeal-outcome = Record the outcome

## States, steps, deadlines
proc-state-registered = Registered
proc-state-interviewed = Interview held
proc-state-police_requested = Awaiting the police reply
proc-state-police_answered = Police replied
proc-state-concluded = Conclusion prepared
proc-state-granted = Status granted
proc-state-refused = Status refused
proc-state-notified = Person notified
proc-state-terminated = Status terminated
proc-step-interview = Interview
proc-step-police_request = Police request
proc-step-police_reply = Police reply
proc-step-decision = Decision
proc-step-notification = Notifying the person
proc-urgency-on_time = On time
proc-urgency-at_risk = At risk (≤ 2 days)
proc-urgency-overdue = Overdue

## Recorded facts
proc-fact-interview = Interview
proc-fact-consent = Consent to the interview
proc-fact-non-disclosure = Non-disclosure undertaking
proc-fact-account = Account of events
proc-fact-no-interview = No interview held
proc-fact-no-interview-reason = Reason
proc-fact-police-request = Police request
proc-fact-police-reply = Police reply
proc-fact-proceedings = Criminal proceedings
proc-fact-proceedings-ref = Proceedings number
proc-fact-conclusion-on = Conclusion
proc-fact-conclusion = Text of the conclusion
proc-fact-decision = Decision
proc-fact-decided-on = Decision date
proc-fact-certificate-no = Certificate number
proc-fact-valid-until = Certificate valid until
proc-fact-grounds = Grounds for refusal
proc-fact-notified = Person notified
proc-fact-appeal = Appeal to a court
proc-fact-appeal-outcome = Outcome of the appeal
proc-fact-terminated = Status terminated
proc-fact-termination-reason = Grounds for termination
proc-proceedings-found = Criminal proceedings opened
proc-proceedings-none = No criminal proceedings found
proc-decision-granted = Status granted
proc-decision-refused = Refused
proc-no-interview-already_identified = Already identified by the police, a court or a foreign state
proc-no-interview-mental_state = Impossible because of the person's mental state
proc-no-interview-young_age = Impossible because of young age
proc-appeal-outcome-upheld = The court upheld the refusal
proc-appeal-outcome-overturned = The court overturned the refusal
proc-referral-state-sent = sent
proc-referral-state-accepted = accepted
proc-referral-state-declined = declined
proc-referral-state-answered = answered
proc-referral-state-closed = closed

## History
proc-event-registered = Application registered
proc-event-interview = Interview held
proc-event-no_interview = Recorded why no interview was held
proc-event-police_request = Request sent to the police
proc-event-police_reply = Police reply received
proc-event-conclusion = Conclusion prepared
proc-event-grant = Status granted
proc-event-refuse = Status refused
proc-event-notify = Person notified
proc-event-extend = Certificate extended
proc-event-terminate = Status terminated
proc-event-appeal = Decision appealed in court
proc-event-appeal_outcome = Outcome of the appeal recorded

## Documents (the documents themselves are issued in Ukrainian)
doc-official-position = Responsible official
doc-appeal-notice = The decision to refuse the status of a person affected by trafficking in human beings may be appealed in court under the Code of Administrative Procedure of Ukraine.

## Journal
journal-title = Journal of applications
journal-lead = Applications for the status of a person affected by trafficking in human beings registered by your unit in the chosen period.
journal-from = From
journal-to = To
journal-show = Show
journal-download = Download the journal (XLSX)
journal-empty = No applications were registered in this period.
journal-err-dates = Check the dates of the period.
journal-err-order = The end of the period cannot be before its start.
journal-sheet = Journal
journal-xlsx-title = Journal of applications for the status of a person affected by trafficking in human beings, { $from }–{ $to }
journal-col-number = No.
journal-col-registered = Registered on
journal-col-applicant = Applicant
journal-col-representative = Representative
journal-col-reference = Case reference
journal-col-interview = Interview
journal-col-police-request = Police request
journal-col-police-reply = Police reply
journal-col-decision = Decision
journal-col-notified = Notified
journal-col-official = Official
journal-col-steps = Steps
journal-decision-granted = granted { $date }, certificate No. { $number }
journal-decision-refused = refused { $date }
journal-police-found = criminal proceedings No. { $number }
journal-police-none = no criminal proceedings found
journal-date-hint = Dates as yyyy-mm-dd or dd.mm.yyyy.

## Deadlines
deadlines-title = Procedure deadlines
deadlines-lead = Your unit's open procedures, most urgent first.
deadlines-none = No open procedures with deadlines.
deadlines-step = Step
deadlines-due = Due
deadlines-urgency = Standing
home-deadlines = Procedure deadlines
home-deadlines-all = All deadlines

proc-duplicates-title = This person may already be in other cases of your unit:
proc-duplicates-then = Check them before registering the application: a similar name (Latin spellings included) and the same birth date. This is a warning, not a block.
