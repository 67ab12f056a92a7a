# procedure — процедура встановлення статусу (постанова КМУ № 417), журнал, строки

nav-deadlines = Строки
nav-journal = Журнал заяв

## Заява
proc-application-title = Реєстрація заяви про встановлення статусу
proc-application-lead = Заяву реєструють у журналі підрозділу: номер присвоюється автоматично, по порядку в межах року.
proc-registered-on = Дата реєстрації
proc-date-hint = Дата у форматі рррр-мм-дд (або дд.мм.рррр). Не пізніше сьогодні.
proc-applicant = Заявник
proc-applicant-hint = Особа, яка звернулася, або (для дитини) законний представник чи особа, якій стало відомо про дитину.
proc-representative = Представник
proc-representative-hint = Якщо заяву подає представник — його прізвище, ім'я та підстава.
proc-foreigner = Іноземець або особа без громадянства
proc-foreigner-hint = Якщо заявник не володіє українською мовою, заяву заповнюють за участі перекладача: вкажіть мову й перекладача.
proc-language = Мова заявника
proc-interpreter = Перекладач
proc-register = Зареєструвати заяву
proc-err-journal-conflict = Саме цієї миті інша заява отримала той самий номер у журналі. Ваші дані залишилися у формі — надішліть її ще раз.
proc-flash-registered = Заяву зареєстровано в журналі.

## Сторінка процедури
proc-title = Заява
proc-journal-number = Номер у журналі
proc-registered-by = Зареєстрував(ла)
proc-case = Справа
proc-application = Заява
proc-next-step = Наступний крок
proc-due = строк до
proc-awaiting-police = Відповідь очікується від поліції: запит надіслано в системі, поліція відповідає на нього у своєму кабінеті. Якщо відповідь надійшла на папері — внесіть її нижче.
proc-no-next-step = Кроків зі строками немає.
proc-facts = Що записано
proc-no-facts = Кроки ще не записано.
proc-police-referral = Запит до поліції
proc-download-certificate = Завантажити довідку (DOCX)
proc-download-refusal = Завантажити повідомлення про відмову (DOCX)
proc-actions = Наступні дії
proc-step-date = Дата
proc-choose = — оберіть —
proc-note = Примітка
proc-history = Історія
proc-history-date = Дата кроку
proc-history-what = Що зроблено
proc-history-who = Хто
proc-history-recorded = Коли записано
proc-err-conflict = Поки ви заповнювали форму, хтось інший записав крок у цій процедурі. Ваші дані залишилися у формі: перегляньте сторінку й надішліть ще раз, якщо крок досі потрібен.
proc-flash-step = Крок записано.
proc-yes = так
proc-no = ні

## Форми кроків
proc-form-interview = Співбесіда
proc-form-interview-lead = Опитувальник: відповідальний підрозділ і посадова особа, дата, згода особи (представника), особа, стать, обставини подій. Особа дає зобов'язання про нерозголошення.
proc-account = Обставини подій (опитувальник)
proc-account-hint = Запишіть розповідь особи своїми словами. Текст бачать лише посадові особи вашого підрозділу.
proc-consent = Особа (її представник) дала згоду на співбесіду
proc-non-disclosure = Відібрано зобов'язання про нерозголошення відомостей
proc-save-interview = Записати співбесіду
proc-form-no-interview = Співбесіду не проведено
proc-form-no-interview-lead = Запишіть, чому співбесіду не проводили.
proc-no-interview-reason = Причина
proc-save-no-interview = Записати причину
proc-form-police-request = Запит до Національної поліції
proc-form-police-request-lead = Запит надійде до територіального органу поліції як направлення в системі. Поліція відповість на нього у своєму кабінеті (чи відкрито кримінальне провадження і його номер), і відповідь автоматично з'явиться тут.
proc-send-police-request = Надіслати запит
proc-form-police-reply = Відповідь поліції (надійшла на папері)
proc-form-police-reply-lead = Заповніть, лише якщо поліція відповіла не в системі, а листом.
proc-proceedings-ref-hint = Номер кримінального провадження в ЄРДР, якщо його відкрито.
proc-save-police-reply = Записати відповідь
proc-form-conclusion = Висновок
proc-save-conclusion = Записати висновок
proc-form-grant = Рішення: встановити статус
proc-form-grant-lead = Після рішення видається довідка; строк її дії рахується від дати рішення.
proc-certificate-no-hint = Зазвичай номер довідки збігається з номером заяви в журналі.
proc-save-grant = Встановити статус
proc-form-refuse = Рішення: відмовити у встановленні статусу
proc-form-refuse-lead = У повідомленні про відмову особі буде роз'яснено, що рішення можна оскаржити до суду.
proc-grounds-hint = Підстави відмови ввійдуть до повідомлення, яке отримає особа.
proc-save-refuse = Відмовити
proc-form-notify = Повідомлення особи
proc-form-notify-lead = Запишіть, коли особу повідомлено про рішення.
proc-notify-hint = Наприклад, як повідомлено (особисто, поштою).
proc-save-notify = Записати повідомлення
proc-form-extend = Продовження строку дії довідки
proc-form-extend-lead = Новий строк дії рахується від дати продовження.
proc-save-extend = Продовжити
proc-form-terminate = Припинення статусу
proc-termination-reason = Підстава припинення
proc-save-terminate = Припинити
proc-form-appeal = Оскарження відмови
proc-form-appeal-lead = Запишіть, що особа звернулася до суду.
proc-appeal-hint = Наприклад, суд і номер справи.
proc-save-appeal = Записати оскарження
proc-form-appeal-outcome = Результат оскарження
proc-form-appeal-outcome-lead = Якщо суд скасував відмову, підрозділ ухвалює нове рішення.
proc-save-appeal-outcome = Записати результат

## Стани, кроки, строки
proc-state-registered = Зареєстровано
proc-state-interviewed = Співбесіду проведено
proc-state-police_requested = Очікується відповідь поліції
proc-state-police_answered = Поліція відповіла
proc-state-concluded = Висновок підготовлено
proc-state-granted = Статус встановлено
proc-state-refused = У встановленні статусу відмовлено
proc-state-notified = Особу повідомлено
proc-state-terminated = Статус припинено
proc-step-interview = Співбесіда
proc-step-police_request = Запит до поліції
proc-step-police_reply = Відповідь поліції
proc-step-decision = Рішення
proc-step-notification = Повідомлення особи
proc-urgency-on_time = Вчасно
proc-urgency-at_risk = Під загрозою (≤ 2 дні)
proc-urgency-overdue = Прострочено

## Записані факти
proc-fact-interview = Співбесіда
proc-fact-consent = Згода на співбесіду
proc-fact-non-disclosure = Зобов'язання про нерозголошення
proc-fact-account = Обставини подій
proc-fact-no-interview = Співбесіду не проведено
proc-fact-no-interview-reason = Причина
proc-fact-police-request = Запит до поліції
proc-fact-police-reply = Відповідь поліції
proc-fact-proceedings = Кримінальне провадження
proc-fact-proceedings-ref = Номер провадження
proc-fact-conclusion-on = Висновок
proc-fact-conclusion = Текст висновку
proc-fact-decision = Рішення
proc-fact-decided-on = Дата рішення
proc-fact-certificate-no = Номер довідки
proc-fact-valid-until = Довідка дійсна до
proc-fact-grounds = Підстави відмови
proc-fact-notified = Особу повідомлено
proc-fact-appeal = Оскарження до суду
proc-fact-appeal-outcome = Результат оскарження
proc-fact-terminated = Статус припинено
proc-fact-termination-reason = Підстава припинення
proc-proceedings-found = Кримінальне провадження відкрито
proc-proceedings-none = Кримінальних проваджень не виявлено
proc-decision-granted = Статус встановлено
proc-decision-refused = Відмовлено
proc-no-interview-already_identified = Особу вже ідентифіковано поліцією, судом або іноземною державою
proc-no-interview-mental_state = Неможливо через психічний стан особи
proc-no-interview-young_age = Неможливо через малолітній вік
proc-appeal-outcome-upheld = Суд залишив відмову в силі
proc-appeal-outcome-overturned = Суд скасував відмову
proc-referral-state-sent = надіслано
proc-referral-state-accepted = прийнято в роботу
proc-referral-state-declined = відхилено
proc-referral-state-answered = надано відповідь
proc-referral-state-closed = закрито

## Історія
proc-event-registered = Заяву зареєстровано
proc-event-interview = Співбесіду проведено
proc-event-no_interview = Записано, чому співбесіду не проведено
proc-event-police_request = Надіслано запит до поліції
proc-event-police_reply = Отримано відповідь поліції
proc-event-conclusion = Підготовлено висновок
proc-event-grant = Статус встановлено
proc-event-refuse = Відмовлено у встановленні статусу
proc-event-notify = Особу повідомлено
proc-event-extend = Строк дії довідки продовжено
proc-event-terminate = Статус припинено
proc-event-appeal = Рішення оскаржено до суду
proc-event-appeal_outcome = Записано результат оскарження

## Документи
doc-official-position = Відповідальна посадова особа
doc-appeal-notice = Рішення про відмову у встановленні статусу особи, яка постраждала від торгівлі людьми, може бути оскаржене до суду в порядку, встановленому Кодексом адміністративного судочинства України.

## Журнал
journal-title = Журнал обліку заяв
journal-lead = Заяви про встановлення статусу особи, яка постраждала від торгівлі людьми, зареєстровані вашим підрозділом за обраний період.
journal-from = З
journal-to = По
journal-show = Показати
journal-download = Завантажити журнал (XLSX)
journal-empty = За цей період заяв не зареєстровано.
journal-err-dates = Перевірте дати періоду.
journal-err-order = Кінець періоду не може бути раніше за його початок.
journal-sheet = Журнал
journal-xlsx-title = Журнал обліку заяв про встановлення статусу особи, яка постраждала від торгівлі людьми, за { $from }–{ $to }
journal-col-number = №
journal-col-registered = Дата реєстрації
journal-col-applicant = Заявник
journal-col-representative = Представник
journal-col-reference = Номер справи
journal-col-interview = Співбесіда
journal-col-police-request = Запит до поліції
journal-col-police-reply = Відповідь поліції
journal-col-decision = Рішення
journal-col-notified = Повідомлено
journal-col-official = Посадова особа
journal-col-steps = Кроки
journal-decision-granted = встановлено { $date }, довідка № { $number }
journal-decision-refused = відмовлено { $date }
journal-police-found = кримінальне провадження № { $number }
journal-police-none = кримінальних проваджень не виявлено
journal-date-hint = Дата у форматі рррр-мм-дд або дд.мм.рррр.

## Строки
deadlines-title = Строки процедур
deadlines-lead = Відкриті процедури вашого підрозділу: найтерміновіші зверху.
deadlines-none = Відкритих процедур зі строками немає.
deadlines-step = Крок
deadlines-due = Строк
deadlines-urgency = Стан
home-deadlines = Строки процедур
home-deadlines-all = Усі строки

proc-duplicates-title = Можливо, ця особа вже є в інших справах вашого підрозділу:
proc-duplicates-then = Перевірте їх перед реєстрацією заяви: схоже прізвище та ім'я (з урахуванням латиниці) і та сама дата народження. Це попередження, а не заборона.
