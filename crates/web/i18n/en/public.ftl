## Public pages: the hotlines and the job-offer check (no sign-in)

pub-site-name = Oberih — help for people affected by trafficking
pub-nav-help = Hotlines
pub-nav-check = Check a job offer
pub-nav-staff = Staff sign-in
pub-switch-language = Українською
pub-footer = This page keeps nothing about you: neither your answers nor your address.

pub-help-title = Hotlines
pub-help-lead = If you or someone close to you is offered work or study abroad, or if your documents were taken, you are not paid, not let go or forced to work — call. You do not have to give your name.
pub-help-number = Number
pub-help-line = Line
pub-help-check-title = Have you been offered a job?
pub-help-check-lead = Answer a few questions before you agree or travel — it takes a minute.
pub-help-check-link = Check the offer
pub-help-emergency = If you are in danger right now, call 102 or 112.

pub-check-title = Job offer check
pub-check-lead = Tick everything that applies to the offer you received. Your answers are not kept anywhere.
pub-check-legend = What you are offered or told
pub-check-submit = Assess the risk
pub-check-again = Check another offer
pub-check-unreadable = The form could not be read. Tick your answers again and send it.

pub-flag-documents = Your passport or other documents are to be handed over to the employer or the intermediary
pub-flag-documents-why = Whoever holds your documents decides whether you can leave or go home.
pub-flag-pay = The pay is far above what such work usually pays
pub-flag-pay-why = An offer too good to be true is the recruiters' most common bait.
pub-flag-contract = There is no written contract, or it is in a language you do not read
pub-flag-contract-why = Without a contract you understand you do not know your terms and cannot defend them.
pub-flag-debt = Travel or placement is paid in advance and must then be "worked off"
pub-flag-debt-why = A debt for the journey is a common way to keep a person dependent.
pub-flag-messenger = The recruiter can be reached only through a messenger
pub-flag-messenger-why = A real company has an address, a phone and a website; a messenger account can vanish.
pub-flag-pressure = You are pressed to decide and leave at once
pub-flag-pressure-why = Haste leaves no time to check the offer or talk to people you trust.
pub-flag-description = Nobody explains what the work is, or asks about your skills or languages
pub-flag-description-why = When the work is not described, what it really is may be hidden.
pub-flag-company = There is no company name, address or registration details
pub-flag-company-why = A company that cannot be found cannot be checked or held to account.
pub-flag-licence = The intermediary is not on the official list of licensed agencies (or you have not checked)
pub-flag-licence-why = Only an agency licensed by the Ministry of Economy of Ukraine may place people in jobs abroad.

pub-result-title = Result
pub-result-flags = { $count ->
    [0] You ticked no sign.
    [one] You ticked { $count } sign.
   *[other] You ticked { $count } signs.
}
pub-risk-high = High risk
pub-risk-high-advice = This offer has the signs of human trafficking. Do not hand over documents, do not take debts for the journey and do not travel before you have talked to a hotline.
pub-risk-medium = Medium risk
pub-risk-medium-advice = Something in this offer is worrying. Before you agree, check the company and the intermediary and call a hotline.
pub-risk-low = No sign of risk ticked
pub-risk-low-advice = That is good, but check the offer anyway: recruiters know how to look trustworthy.
pub-what-to-do = What to do
pub-do-call = Call a hotline and tell them about the offer — they will help you check it.
pub-do-documents = Do not give your passport to anyone; make copies of your documents and leave them with your family.
pub-do-contract = Ask for a written contract in a language you understand before you leave.
pub-do-tell = Leave the employer's address and contacts with people close to you and agree how you will keep in touch.
pub-check-agency-title = How to check an agency
pub-check-agency = Check that the intermediary is in the licence register of businesses that place people in jobs abroad, on the official website of the Ministry of Economy of Ukraine. Compare the name, the EDRPOU code and the address with what you are told.
pub-hotlines-title = Hotlines

pub-429-title = Too many requests
pub-429-body = Too many requests came from your address. Wait a minute and try again. If you need help now, call 1547 or 102.

sign-in-help-link = Looking for help rather than a sign-in? Hotlines and the job offer check

pub-nav-directory = Where to turn
pub-directory-title = Where to turn for help
pub-directory-lead = Organisations that help people affected by trafficking and those at risk of it: what they offer and how to reach them.
pub-directory-territory = Oblast, raion
pub-directory-everywhere = All
pub-directory-show = Show
pub-directory-none = The directory has no organisation for this territory yet. Call a hotline — they will tell you where to turn.
pub-directory-count = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
pub-directory-capped = The first are shown; choose a territory to see the rest.
pub-unavailable-title = The page is unavailable for a moment
pub-unavailable-body = Try again in a few minutes. If you need help now, call 1547 or 102.

field-public-listing = List in the public directory "Where to turn"
field-public-offer = What the organisation offers people
hint-public-offer = Every visitor of /help/directory reads this without signing in: describe the services and opening hours; never name people who were helped.
err-public-offer-required = Describe what the organisation offers people: without it, the listing helps nobody.
err-public-contact-required = To list the organisation, give a phone, an e-mail or an address at which people can reach it.
org-public-listing = In the public directory
