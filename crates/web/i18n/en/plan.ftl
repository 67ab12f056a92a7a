# Plan of measures: the plan pages, its import and export (issue 3).
plan-list-title = Plans of measures
plan-none = No plans yet.
plan-new = New plan
plan-edit = Edit plan
plan-import = Import a plan
plan-field-title = Plan title
plan-field-years = Years
plan-field-year-from = First year
plan-field-year-to = Last year
plan-field-act = Approving act
plan-field-act-number = Act number
plan-field-act-date = Act date
plan-field-owner = Coordinator (organisation that consolidates the reports)
plan-hint-owner = The organisation executors report to, which prepares the consolidated report.
plan-act-of = of
plan-approved-by = approved by act
plan-flash-created = Plan created.
plan-flash-imported = Plan imported:
plan-flash-goal = Operational goal saved.
plan-flash-task = Task saved.
plan-flash-measure-added = Measure added.
plan-flash-measure-saved = Measure saved.
plan-flash-moved = Order of measures changed.
plan-flash-retired = Measure retired; its reports are kept.
plan-flash-restored = Measure restored to the plan.
plan-err-conflict = Someone else saved this plan while you were editing. Your text is still in the form — check it and save again.
plan-err-conflict-measure = Someone else changed this measure while you were editing. Your text is still in the form — check it and save again.
plan-count-goals = { $count ->
    [one] { $count } operational goal
   *[other] { $count } operational goals
}
plan-count-tasks = { $count ->
    [one] { $count } task
   *[other] { $count } tasks
}
plan-count-measures = { $count ->
    [one] { $count } measure
   *[other] { $count } measures
}
plan-count-links = { $count ->
    [one] { $count } measure–executor link
   *[other] { $count } measure–executor links
}
plan-table-caption = The plan's operational goals, tasks and measures
plan-col-task = Task
plan-col-measure = Measure
plan-col-term = Term
plan-col-executors = Executors
plan-col-actions = Actions
plan-goal = Operational goal
plan-task = Task
plan-empty = The plan has no operational goals yet.
plan-no-measures = No measures yet.
plan-retired = retired
plan-export-xlsx = Download .xlsx
plan-export-docx = Download .docx
plan-goal-new = Add an operational goal
plan-goal-edit = Edit operational goal
plan-goal-edit-short = Edit goal
plan-field-goal-text = Text of the operational goal
plan-task-new = Add a task
plan-task-edit = Edit task
plan-task-edit-short = Edit task
plan-field-task-text = Text of the task
plan-measure-new = Add a measure
plan-measure-edit = Edit measure
plan-measure-edit-short = Edit
plan-move-up = Move up
plan-move-down = Move down
plan-retire = Retire
plan-restore = Restore
plan-field-measure-text = Text of the measure
plan-field-term = Term
plan-hint-term = As the plan writes it: "2023-2025", "постійно", "до 2025 року".
plan-field-executors = Executors
plan-field-indicators = Indicators
plan-hint-indicators = One per line: name | unit | target. For example: Number of events | pcs | 12
plan-periods = Reporting periods
plan-no-periods = No reporting period opened yet.
plan-period-open = open
plan-period-closed = closed
plan-period-due = executors report by { $date }
plan-field-half-year = Half-year
plan-open-period = Open a reporting period
plan-import-title = Import a plan from a file
plan-import-lead = An .xlsx workbook or a .docx document with the plan's four columns: task, measure, term, executors; "Оперативна ціль N. …" rows between them. Nothing is written until the whole plan reads without errors.
plan-import-failed = The plan was not imported: correct what is marked. Nothing was written.
plan-import-problems = What is wrong in the file
plan-import-row = Row { $row }
plan-import-submit = Import
plan-field-file = Plan file (.xlsx or .docx)
plan-hint-file = At most 5 MB.
plan-file-again = Choose the file again.
plan-err-file-required = Choose a file.
plan-err-file-problems = Some rows of the file could not be read (see the list above).
plan-err-too-big = The file is too big: at most 5 MB.
plan-err-unpacks-too-large = The file holds more than can be read: unpacked it is too large or declares too many records. Keep only the plan table in the file and try again.
plan-err-not-plan-file = This is neither an .xlsx workbook nor a .docx document.
plan-err-not-xlsx = The file is named .xlsx but is not an Excel workbook.
plan-err-not-docx = The file is named .docx but is not a Word document.
plan-err-no-table = The document has no table.
plan-err-damaged = The file is damaged and could not be read. Save it again in the program that made it and try again.
plan-err-busy = The server is busy reading other files. Try again in a minute.
plan-err-columns = No header row with the four columns was found: task, measure, term, executors.
plan-map-title = Executors not in the directory
plan-map-lead = The file "{ $file }" names executors that match no organisation. Choose an organisation from the directory for each, and the plan will be imported.
plan-map-executors = Which is which
plan-map-rows = rows: { $rows }
plan-map-details = About the plan
plan-err-map-required = Choose an organisation for this executor.
err-year = Enter a year in four digits, for example 2025.
err-year-order = The last year cannot come before the first.
err-executors-required = Choose at least one executor.
err-indicator-line = Each indicator on its own line: "name | unit | target".
err-import-goal-text = An operational goal row without text.
err-import-columns-row = The row has fewer than four columns.
err-import-before-goal = A measure before the first operational goal.
err-import-no-task = A measure without a task: no task in the first column above it.
err-import-measure-text = The measure has no text.
err-import-too-long = The measure's text is too long (over 4000 characters).
err-import-term = The term could not be read:
err-import-no-executors = No executors given.
err-import-no-rows = The file has no measures.
