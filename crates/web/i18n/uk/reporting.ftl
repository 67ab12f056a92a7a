# Reporting periods, reports, the dashboard, reminders (issue 3).
nav-plans = Плани заходів
nav-my-reports = Мої звіти
half-year = { $half ->
    [1] І півріччя
   *[2] ІІ півріччя
  } { $year } року
goal = Оперативна ціль
task = Завдання
term = Строк виконання
total = Усього
back = Назад
remove = Вилучити
period-state-open = Відкритий для звітування
period-state-closed = Закритий
period-open-failed = Не вдалося відкрити звітний період
period-close = Закрити період
period-reopen = Відкрити знову
flash-period-opened = Звітний період відкрито. Виконавці бачать свої заходи у «Мої звіти».
flash-period-closed = Звітний період закрито.
flash-period-reopened = Звітний період знову відкрито.
err-period-exists = Цей період уже відкрито.
err-period-closed = Звітний період закрито: звіт не можна змінити.
err-report-transition = Цю дію не можна виконати зі звітом у його поточному стані.
err-report-text-required = Опишіть, що зроблено, перш ніж подати звіт.
err-link = Посилання має починатися з https:// або http:// і не містити пробілів.
err-too-many-links = Не більше 20 посилань.
err-figure = Показник має бути невід’ємним числом (наприклад, 12 або 12,5).
err-return-comment-required = Напишіть, що треба виправити.
err-file-type = Дозволені файли: PDF, DOCX, XLSX, ODT, JPG, PNG.
err-file-empty = Файл порожній.
err-file-too-big = Файл більший за 10 МБ.
err-file-content = Вміст файлу не відповідає його типу.
err-too-many-files = До звіту можна додати не більше 10 файлів.
err-conflict-report = Хтось інший змінив цей звіт, поки ви його редагували. Ваш текст збережено на сторінці: перегляньте зміни й надішліть ще раз.
dash-title = Звітування
dash-executor-due = Звіти виконавців до
dash-consolidation-due = Узагальнення до
dash-download-docx = Узагальнений звіт (DOCX)
dash-download-xlsx = Таблиця звітів (XLSX)
dash-summary = Підсумок
dash-expected = Очікується
dash-submitted = Подано
dash-on-time = Вчасно
dash-accepted = Прийнято
dash-returned = Повернуто
dash-completeness = Повнота
dash-timeliness = Своєчасність
dash-explain = Повнота — подані звіти від очікуваних; своєчасність — подані до строку від очікуваних.
dash-queue = Чекають розгляду
dash-queue-empty = Немає звітів, що чекають розгляду.
dash-overdue = Прострочені
dash-overdue-empty = Прострочених звітів немає.
dash-measure = Захід
dash-by-executor = За виконавцями
dash-by-goal = За оперативними цілями
cons-title = Інформація про виконання
cons-for = за
cons-approved-by = затвердженого розпорядженням № { $number } від { $date }
cons-compiled = Складено
cons-summary = Повнота та своєчасність звітування
cons-h-name = Найменування
cons-no-report = Інформацію не подано.
cons-sheet = Звіт
cons-x-goal = Ціль
cons-x-task = Завдання
cons-x-measure-no = № заходу
cons-x-measure = Захід
cons-x-executor = Виконавець
cons-x-status = Стан
cons-x-submitted = Подано
cons-x-late = Із запізненням
cons-x-accepted = Прийнято
cons-x-text = Інформація про виконання
cons-figures = Показники
cons-links = Посилання
report-late = із запізненням
report-state-draft = Не подано
report-state-submitted = Подано
report-state-returned = Повернуто на доопрацювання
report-state-accepted = Прийнято
report-event-submit = Подано
report-event-accept = Прийнято
report-event-return = Повернуто на доопрацювання
urgency-overdue = Прострочено
urgency-due-soon = Строк спливає
urgency-later = Є час
urgency-done = Подано
my-reports-title = Мої звіти
my-reports-lead = Заходи, за якими ваша організація звітує у відкритих періодах. Спершу — прострочені й повернуті.
my-reports-none = Зараз немає відкритих звітних періодів для вашої організації.
report-title = Звіт за заходом
report-period = Період
report-due = Подати до
report-returned-comment = Коментар координатора
report-text = Що зроблено
report-text-hint = Стисло: які заходи проведено, скільки людей охоплено, результати.
report-target = ціль
report-links-hint = Одне посилання в рядку (публікації, новини).
report-submit = Подати звіт
report-save-draft = Зберегти чернетку
report-attachments = Додані файли
report-no-attachments = Файлів немає.
report-add-file = Додати файл
report-file-hint = PDF, DOCX, XLSX, ODT, JPG або PNG, до 10 МБ, не більше 10 файлів.
report-upload = Завантажити
report-review = Розгляд звіту
report-review-comment = Коментар
report-review-hint = Щоб повернути звіт, напишіть, що треба виправити.
report-accept = Прийняти
report-return = Повернути на доопрацювання
report-history = Історія
flash-report-saved = Чернетку збережено.
flash-report-submitted = Звіт подано координатору.
flash-report-accepted = Звіт прийнято.
flash-report-returned = Звіт повернуто виконавцю з коментарем.
flash-attached = Файл додано.
flash-attachment-removed = Файл вилучено.
waiting-reports-overdue = { $count ->
    [one] { $count } звіт прострочено
    [few] { $count } звіти прострочено
   *[other] { $count } звітів прострочено
  }
waiting-reports-returned = { $count ->
    [one] { $count } звіт повернуто на доопрацювання
    [few] { $count } звіти повернуто на доопрацювання
   *[other] { $count } звітів повернуто на доопрацювання
  }
waiting-reports-due-soon = { $count ->
    [one] { $count } звіт треба подати найближчими днями
    [few] { $count } звіти треба подати найближчими днями
   *[other] { $count } звітів треба подати найближчими днями
  }
waiting-review-queue = { $count ->
    [one] { $count } звіт чекає розгляду
    [few] { $count } звіти чекають розгляду
   *[other] { $count } звітів чекають розгляду
  }
audit-action-plan_created = Створено план заходів
audit-action-plan_updated = Змінено план заходів
audit-action-plan_imported = Імпортовано план заходів
audit-action-plan_exported = Вивантажено план заходів
audit-action-goal_saved = Збережено оперативну ціль
audit-action-task_saved = Збережено завдання
audit-action-measure_created = Додано захід
audit-action-measure_updated = Змінено захід
audit-action-measure_moved = Переміщено захід
audit-action-measure_retired = Знято захід
audit-action-measure_restored = Повернуто захід
audit-action-period_opened = Відкрито звітний період
audit-action-period_closed = Закрито звітний період
audit-action-period_reopened = Знову відкрито звітний період
audit-action-report_viewed = Переглянуто звіт
audit-action-report_saved = Збережено чернетку звіту
audit-action-report_submitted = Подано звіт
audit-action-report_returned = Повернуто звіт
audit-action-report_accepted = Прийнято звіт
audit-action-attachment_added = Додано файл до звіту
audit-action-attachment_removed = Вилучено файл зі звіту
audit-action-attachment_downloaded = Завантажено файл звіту
audit-action-consolidated_report_downloaded = Завантажено узагальнений звіт
audit-action-reminder_sent = Надіслано нагадування
dash-show-all = Усі { $count } →
