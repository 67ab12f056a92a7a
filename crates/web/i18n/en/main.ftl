# Oberih — English

app-name = Oberih
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
nav-organisations = Organisations
nav-new-user = New user
nav-audit = Audit log
nav-account = My account
sign-in = Sign in
sign-out = Sign out
sign-out-everywhere = Sign out on every device
switch-language = Українською
footer-note = The data of people affected by trafficking is protected by law. Every access is recorded.
request-id = Request id
back-home = Home
back-to-list = Back to the list
any = Any
choose = — choose —
filter = Show
save = Save
cancel = Cancel
edit = Edit
yes = yes
no = no
by-consent = by consent
nothing-found = Nothing found.
pager-label = Pages
pager-first = « First page
pager-next = Next »
form-has-errors = The form was not saved: correct the marked fields. Everything you typed is still here.

sign-in-title = Sign in
sign-in-lead = Sign in with the login and password your organisation's administrator gave you.
sign-in-invalid = Wrong login or password.
sign-in-locked = { $minutes ->
    [one] Too many failed sign-in attempts. Try again in { $minutes } minute.
   *[other] Too many failed sign-in attempts. Try again in { $minutes } minutes.
}
session-expired = Your session has ended. Please sign in again.
csrf-title = Form not accepted
csrf-body = The page is out of date or the request did not come from this site. Reload the page and try again — copy what you typed first.

home-title = Home
home-greeting = Welcome, { $name }
home-your-roles = Your roles
home-waiting = Waiting for me
home-nothing-waiting = Nothing is waiting for you right now.
home-you-can = What you can do
home-my-organisation = My organisation
home-who-is-in-it = Its people in the system
waiting-change-password = Change your temporary password
waiting-users-no-roles = { $count ->
    [one] { $count } user without a role
   *[other] { $count } users without roles
}
waiting-users-disabled = { $count ->
    [one] { $count } disabled account
   *[other] { $count } disabled accounts
}
waiting-denials = { $count ->
    [one] { $count } access denial this week
   *[other] { $count } access denials this week
}
waiting-failed-sign-ins = { $count ->
    [one] { $count } failed sign-in today
   *[other] { $count } failed sign-ins today
}
waiting-seal-never = The seal of the audit log has never been verified
waiting-seal-stale = { $days ->
    [one] The seal of the audit log was last verified { $days } day ago
   *[other] The seal of the audit log was last verified { $days } days ago
}
waiting-seal-broken = { $count ->
    [one] The last verification of the audit log's seal found { $count } problem
   *[other] The last verification of the audit log's seal found { $count } problems
}
waiting-locked = { $count ->
    [one] { $count } sign-in lock-out today
   *[other] { $count } sign-in lock-outs today
}

orgs-title = Organisations — subjects of interaction
orgs-new = New organisation
orgs-edit = Edit organisation
orgs-filter-text = Name contains
org-bodies = Member of
org-members = Users
org-no-members = This organisation has no users in the system yet.
flash-org-created = Organisation created.
flash-saved = Changes saved.
flash-imported = Organisations imported.
err-conflict-org = Someone else saved this organisation while you were editing. Your changes are still in the form — check them and save again.

field-name = Name
field-short-name = Short name
field-kind = Kind
field-territory = Territory
field-edrpou = EDRPOU code
field-by-consent = Takes part by consent
field-email = E-mail
field-phone = Phone
field-address = Address
field-login = Login
field-password = Password
field-full-name = Full name
field-organisation = Organisation
field-roles = Roles
field-state = State
field-last-sign-in = Last sign-in
field-initial-password = Initial password
field-temporary-password = Temporary password
field-current-password = Current password
field-new-password = New password
hint-edrpou = 8 digits; the last is a check digit.
hint-login = Lower-case Latin letters, digits, dot, hyphen or underscore; 3 to 64 characters.
hint-password = At least 12 characters, not containing the login. A few words joined by hyphens work well.
hint-temporary-password = The user changes it at the next sign-in; all their sessions end.

users-edit = Edit user
user-active = active
user-disabled = disabled
user-access = Access
user-disable = Disable account
user-enable = Enable account
user-reset-password = Reset password
flash-user-created = User created. Give them the login and initial password in person.
flash-user-saved = Changes saved.
flash-user-disabled = Account disabled; all its sessions ended.
flash-user-enabled = Account enabled.
flash-user-password = Temporary password set; all the user's sessions ended.

account-title = My account
account-must-change = You signed in with a temporary password. Change it to continue.
account-change-password = Change password
account-sessions = Sessions
account-sessions-lead = If you signed in on someone else's computer or lost a device, end all sessions.
flash-password-changed = Password changed. Other sessions ended.

audit-title = Audit log
audit-filter-user = User login
audit-filter-action = Action
audit-filter-from = From
audit-filter-to = To
audit-col-time = Time
audit-col-user = User
audit-col-action = Action
audit-col-subject = Subject
audit-col-ip = IP address
audit-col-details = Details

err-required = Fill in this field.
err-too-long = The value is too long.
err-invalid-choice = Choose a value from the list.
err-email = Enter an e-mail address such as name@example.gov.ua.
err-phone = Enter a phone number in digits, such as +38 0532 00 00 00.
err-edrpou-shape = An EDRPOU code has 8 digits.
err-edrpou-check = The check digit does not match — check the EDRPOU code.
err-edrpou-taken = An organisation with this EDRPOU code already exists.
err-name-taken = An organisation with this name already exists.
err-login-shape = A login is 3 to 64 lower-case Latin letters, digits, ".", "-" or "_".
err-login-taken = This login is taken.
err-password-short = The password needs at least 12 characters.
err-password-login = The password must not contain the login.
err-password-weak = The password is too simple.
err-password-current = The current password is wrong.
err-roles-empty = Choose at least one role.
err-roles-admin-cases = An administrator cannot hold roles that see cases (separation of duties).
err-roles-admin-auditor = An administrator cannot audit their own actions.
err-date = Enter a date as yyyy-mm-dd.
err-import-empty = The file is empty.
err-import-too-big = The file is too big.
err-import-not-utf8 = The file is not UTF-8 text.
err-import-not-csv = This is not a CSV file.
err-import-columns = The file lacks the required columns name (or name_uk) and kind.
err-import-unknown-column = Unknown column.
err-import-default-territory = The default territory was not found.
err-import-row-shape = The row has a different number of fields than the header.
err-import-bool = Expected "yes" or "no".
err-import-duplicate = This name already appears earlier in the file.
err-400-title = Request not accepted
err-400-body = The request has errors.
err-403-title = No access
err-403-body = Your roles do not allow this page. The attempt has been recorded in the audit log.
err-404-title = Not found
err-404-body = There is no such page, or you have no access to it.
err-409-title = Conflicting change
err-409-body = Someone else changed this data. Reload the page.
err-413-title = Request too large
err-413-body = What was sent is larger than the server accepts. Go back and make the file or text smaller.
err-413-anonymous-body = Before signing in the server accepts short forms only. Sign in and send again.
err-nul-title = Character not allowed
err-nul-body = The field “{ $field }” contains a NUL character, which cannot be part of a text. Go back (what you typed stays in the form), remove it and send again.
err-404-malformed-body = The page address is wrong: a record number must be a number.
err-429-title = Too many attempts
err-429-body = Wait a little and try again.
err-500-title = Server error
err-500-body = Something went wrong. Tell your administrator the request id at the bottom of the page.

role-national_coordinator = National coordinator
role-regional_coordinator = Regional coordinator
role-executor = Executor of measures
role-case_officer = Case officer
role-partner = Partner
role-hotline_operator = Hotline operator
role-analyst = Analyst
role-administrator = Administrator
role-auditor = Auditor
role-national_coordinator-can = Read aggregated data for every oblast — no personal data.
role-regional_coordinator-can = Keep the regional plan of measures, open reporting periods, review executors' reports and publish the oblast's statistics.
role-executor-can = Write and submit your organisation's reports on the plan's measures.
role-case_officer-can = Take identification notices, run the status procedure, assistance and payments for your unit's cases.
role-partner-can = See only the cases referred to your organisation, only the fields needed, and only while the referral is open.
role-hotline_operator-can = Log hotline consultations; no access to cases.
role-analyst-can = Read aggregated statistics.
role-administrator-can = Manage user accounts, organisations and settings; no access to case content.
role-auditor-can = Read the audit log and verify its seal.

org-kind-ministry = Ministry
org-kind-oblast_administration = Oblast military (state) administration
org-kind-social_protection_department = Department of social protection
org-kind-education_department = Department of education
org-kind-health_department = Department of health
org-kind-culture_department = Department of culture
org-kind-information_department = Department of information
org-kind-raion_administration = Raion military (state) administration
org-kind-police = National Police
org-kind-children_service = Children's service
org-kind-social_services_centre = Centre of social services
org-kind-legal_aid_centre = Free legal aid centre
org-kind-employment_centre = Employment centre
org-kind-training_centre = Professional training centre
org-kind-labour_inspectorate = Labour inspectorate
org-kind-migration_service = Migration service
org-kind-hromada_council = Local self-government body
org-kind-ngo = Non-governmental organisation
org-kind-international_organisation = International organisation
body-kind-coordination_council = coordination council
body-kind-multidisciplinary_group = multidisciplinary group

audit-action-sign_in = Sign-in
audit-action-sign_in_failed = Failed sign-in
audit-action-sign_in_locked = Sign-in locked
audit-action-sign_out = Sign-out
audit-action-sign_out_everywhere = Sign-out everywhere
audit-action-password_changed = Own password changed
audit-action-password_reset = Password reset
audit-action-user_created = User created
audit-action-user_updated = User changed
audit-action-user_roles_changed = Roles changed
audit-action-user_disabled = User disabled
audit-action-user_enabled = User enabled
audit-action-organisation_created = Organisation created
audit-action-organisation_updated = Organisation changed
audit-action-organisations_imported = Organisations imported
audit-action-body_created = Body created
audit-action-body_members_changed = Body membership changed
audit-action-permission_denied = Access denied
audit-action-request_refused = Request refused

nav-bodies = Councils and groups
bodies-title = Coordination councils and multidisciplinary groups
bodies-new = New council or group
bodies-lead = The collective bodies through which the subjects of interaction coordinate counter-trafficking work.
bodies-members-count = Members
bodies-members = Member organisations
hint-multiple = Hold Ctrl (Cmd on a Mac) to choose several.
flash-body-created = Body created.
err-members-empty = Choose at least one organisation.
err-body-name-taken = A body with this name already exists.
audit-action-audit_log_exported = Audit log exported
audit-download = Download XLSX
audit-sheet = Audit
audit-xlsx-title = Oberih audit log

## Cases and the status procedure (issue 4): messages the domain returns, and the audit vocabulary.
err-choice = Choose a value from the list.
err-birth-date = A birth date cannot be in the future or more than 110 years ago.
err-future-date = The date cannot be in the future.
err-past-date = The date cannot be in the past.
err-child-age = The "child" mark does not match the age.
err-language-for-interpreter = Give the language that is interpreted.
err-age = Age is a whole number from 0 to 110.
err-representative-for-child = Give the child's legal representative.
err-country-for-abroad = Give the country where the exploitation took place.
err-date-order = The end date cannot come before the start date.
err-consent-needed = Sharing data that identifies the person needs a reference to their consent.
err-step-not-now = This step is not possible now: the procedure is at another stage.
err-before-previous-step = The date cannot come before the procedure's previous step.
err-interview-consent = An interview is held only with the consent of the person or their representative.
err-no-responsible-unit = No responsible unit is set for this territory.
err-case-not-open = The case is not open.
err-procedure-open = A status procedure is already under way in this case.
err-no-police = No police body was found for the case's territory.
audit-action-notice_recorded = Identification notice recorded
audit-action-notice_accepted = Notice accepted, case opened
audit-action-notice_redirected = Notice redirected
audit-action-case_viewed = Case viewed
audit-action-case_updated = Case facts changed
audit-action-person_updated = Personal data changed
audit-action-case_closed = Case closed
audit-action-case_reopened = Case reopened
audit-action-duplicate_warning = Possible duplicate warning shown
audit-action-referral_sent = Referral sent
audit-action-referral_viewed = Referral viewed
audit-action-referral_accepted = Referral accepted
audit-action-referral_declined = Referral declined
audit-action-referral_answered = Referral answered
audit-action-referral_closed = Referral closed
audit-action-application_registered = Application registered in the journal
audit-action-procedure_step = Procedure step recorded
audit-action-case_document_added = Document added to a case
audit-action-case_document_downloaded = Case document downloaded
audit-action-certificate_downloaded = Status certificate produced
audit-action-refusal_letter_downloaded = Refusal letter produced
audit-action-journal_viewed = Journal of applications viewed
audit-action-journal_downloaded = Journal of applications produced
audit-action-rulebook_created = Rulebook version created
audit-action-calendar_changed = Calendar of days off changed
audit-action-template_replaced = Document template replaced
audit-action-template_reset = Default document template restored
waiting-notices = { $count ->
    [one] { $count } new identification notice is waiting for a decision
   *[other] { $count } new identification notices are waiting for a decision
  }
waiting-referrals = { $count ->
    [one] { $count } new referral is waiting for an answer
   *[other] { $count } new referrals are waiting for an answer
  }

## The seal over the audit log (/audit/chain)
audit-chain-title = Seal of the audit log
audit-chain-intro = A few seconds after it is written, every row of the audit log is sealed into a chain of hashes: changing or removing a sealed row breaks the chain. Verification walks the whole chain from its start.
audit-chain-end = End of the chain
audit-chain-empty = No row has been sealed yet.
audit-chain-entries = { $count ->
    [one] { $count } row sealed
   *[other] { $count } rows sealed
}
audit-chain-sealed-at = last sealed { $at }
audit-chain-anchor-hint = Write this anchor down outside the system (in a memo, a letter or a report) and give it at the next verification: then even a chain rewritten in full shows.
audit-chain-intact = The chain is intact
audit-chain-broken = { $count ->
    [one] { $count } problem found
   *[other] { $count } problems found
}
audit-chain-checked = { $count ->
    [one] { $count } chain entry checked.
   *[other] { $count } chain entries checked.
}
audit-chain-anchors-checked = Anchors compared: { $count }.
audit-chain-sealed-now = Rows sealed just now: { $count }.
audit-chain-waiting = Rows still waiting for the seal (written just now): { $count }.
audit-chain-more = Not shown: { $count } more.
audit-chain-anchors = Anchors from earlier verifications
audit-chain-anchors-hint = One per line: the entry number, a colon, the hash — as shown above. May be left empty.
audit-chain-line = Line { $line }:
audit-chain-verify = Verify the chain
err-anchor = an anchor is an entry number and its hash of 64 hexadecimal digits, e.g. 1234:5f3a…
audit-chain-problem-row-missing = Chain entry { $seq }: audit row { $row } is gone.
audit-chain-problem-changed = Chain entry { $seq }: audit row { $row } or the entry itself was changed after sealing.
audit-chain-problem-entries-missing = Chain entries { $from }–{ $to } are gone.
audit-chain-problem-head = The end of the chain names entry { $head }, but the last entry is { $last }.
audit-chain-problem-unsealed = Audit row { $row } sits behind the end of the chain and is not sealed.
audit-chain-problem-anchor = Anchor { $seq }:{ $hash } does not match: entry { $seq } has another hash now.
audit-chain-problem-anchor-beyond = Anchor { $seq }:{ $hash }: the chain no longer reaches entry { $seq }.
audit-action-audit_chain_verified = Audit log seal verified
