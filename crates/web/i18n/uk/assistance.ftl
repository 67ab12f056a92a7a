## Assistance: needs assessment, individual plan, shelter stays (SPEC §5)

nav-assistance = Допомога
assistance-title = Допомога
assistance-needs = Потреби і послуги
assistance-need = Потреба
assistance-no-assessment = Потреби ще не оцінено.
assistance-other-services = Послуги за потребами, яких немає в останній оцінці
assistance-stays = Тимчасове розміщення
assistance-no-stays = Розміщення не було.
assistance-payment = Одноразова матеріальна допомога
assistance-no-payment = Заяви про виплату немає.
assistance-assessments = Оцінки потреб
assistance-conflict = Запис щойно змінив хтось інший. Перегляньте, що змінилося, і повторіть дію.
assistance-flash-assessed = Оцінку потреб збережено.
assistance-flash-planned = Послугу внесено до плану.
assistance-flash-service = Стан послуги змінено.
assistance-flash-stay = Розміщення записано.
assistance-flash-extended = Розміщення продовжено.
assistance-flash-ended = Завершення розміщення записано.
assistance-flash-payment = Заяву про виплату записано.
assistance-list-title = Допомога: що потребує уваги
assistance-list-lead = Потреби без запланованих послуг, прострочені послуги, розміщення, що закінчуються, і виплати, що чекають. Лише номери справ.
assistance-list-needs = Потреби без запланованої послуги
assistance-list-services = Послуги після запланованої дати
assistance-list-stays = Розміщення, що закінчуються або прострочені
assistance-list-payments = Виплати, що чекають рішення або перерахування
assistance-list-more = Показано перші { $shown } з { $all }.
assistance-list-none = Немає.
limit-2000 = Не більше 2000 символів.

assessment-new = Оцінити потреби
assessment-again = Переоцінити потреби
assessment-title = Оцінка потреб
assessment-lead = Позначте потреби особи, для кожної — терміновість. Попередні оцінки зберігаються.
assessment-on = Дата оцінки
assessment-needs = Потреби
assessment-needs-hint = Позначте щонайменше одну потребу і виберіть її терміновість.
assessment-note = Загальна примітка
assessment-save = Зберегти оцінку
need-urgency = Терміновість
need-urgency-urgent = Невідкладно
need-urgency-soon = Найближчим часом
need-urgency-routine = У плановому порядку
need-note = Примітка
need-met = задоволено
need-gap = нічого не заплановано
need-in-work = у роботі

service-new = Запланувати послугу
service-plan-for = Запланувати послугу
service-lead = Послуга відповідає одній з потреб. Якщо її надає інша організація, їй буде надіслано направлення: вона прийме його і запише надання послуги.
service-need = Потреба
service-provider = Хто надає
service-provider-hint = Ваш підрозділ — послуга без направлення; інша організація — через направлення.
service-own-unit = ваш підрозділ
service-planned-from = Запланована дата початку
service-planned-to = Надати до
service-planned-to-hint = Після цієї дати послуга потрапить до списку прострочених.
service-note = Примітка
service-referral-part = Направлення (якщо надає інша організація)
service-referral-part-hint = Які дані передати організації. Ідентифікаційні дані дорослої особи — лише за її згодою.
service-save = Запланувати
service-from = з { $date }
service-overdue = прострочено
service-referral = направлення
service-record-step = Записати зміну стану
service-on = Дата
service-reason = Причина
service-what-done = Що зроблено
service-what-done-hint = Коротко, без зайвих даних особи.
service-delivered-on = Дата надання
service-record-delivery = Записати, що послугу надано
service-state-planned = Заплановано
service-state-referred = Направлено
service-state-in_progress = Надається
service-state-delivered = Надано
service-state-refused = Особа відмовилася
service-state-not_available = Неможливо надати
service-action-start = Розпочато
service-action-deliver = Надано
service-action-refuse = Особа відмовилася
service-action-unavailable = Неможливо надати
referral-service = Послуга за індивідуальним планом

stay-new = Записати розміщення
stay-lead = Тимчасове розміщення в закладі допомоги — до трьох місяців; довше — лише за рішенням про продовження.
stay-institution = Заклад
stay-institution-hint = Заклад, у якому розміщено особу.
stay-started-on = Дата початку
stay-planned-end = Запланована дата завершення
stay-planned-end-hint = Якщо не вказати — через три місяці від початку.
stay-note = Примітка
stay-save = Записати
stay-until = до
stay-limit = Граничний строк без продовження
stay-extend = Продовжити розміщення
stay-decided-by = Хто прийняв рішення
stay-decision-no = Номер рішення
stay-decision-on = Дата рішення
stay-new-end = Нова дата завершення
stay-extension-reason = Підстава продовження
stay-extension-reason-hint = Наприклад: особа є свідком у кримінальному провадженні.
stay-extension-decision = рішення: { $text }
stay-end = Записати завершення
stay-ended-on = Завершено
stay-end-note = Примітка
stay-flag-ending_soon = закінчується протягом 14 днів
stay-flag-past_end = строк минув
stay-flag-beyond_limit = понад три місяці без продовження

waiting-needs = { $count ->
    [one] { $count } потреба без запланованої послуги
    [few] { $count } потреби без запланованої послуги
   *[other] { $count } потреб без запланованої послуги
  }
waiting-services = { $count ->
    [one] { $count } послуга прострочена
    [few] { $count } послуги прострочені
   *[other] { $count } послуг прострочені
  }
waiting-stays = { $count ->
    [one] { $count } розміщення закінчується або прострочене
   *[other] { $count } розміщень закінчуються або прострочені
  }
waiting-payments = { $count ->
    [one] { $count } виплата чекає рішення або перерахування
    [few] { $count } виплати чекають рішення або перерахування
   *[other] { $count } виплат чекають рішення або перерахування
  }

err-need-one = Позначте щонайменше одну потребу.
err-need-urgency = Для кожної позначеної потреби виберіть терміновість.
err-need-not-assessed = Виберіть потребу з останньої оцінки.
err-end-before-start = Дата завершення не може бути раніше дати початку.
err-stay-beyond-limit = Розміщення без продовження — не довше трьох місяців. Довше — лише за рішенням про продовження.
err-extension-not-later = Нова дата має бути пізнішою за поточну дату завершення.
err-stay-ended = Розміщення вже завершено.

## The one-time payment (CMU 660)

payment-new = Записати заяву про виплату
payment-title = Одноразова матеріальна допомога
payment-lead = Заява подається після встановлення статусу. Категорію визначає вік особи на дату заяви, суму — кратність і прожитковий мінімум, чинні на цю дату.
payment-status = Статус
payment-status-granted = встановлено, довідка { $text }
payment-valid-until = чинна до
payment-birth-date = Дата народження
payment-birth-date-missing = не вказано — додайте в даних особи
payment-amounts-today = Суми на сьогодні
payment-open = Відкрити виплату
payment-applied-on = Дата заяви
payment-applied-on-hint = Від неї залежать категорія, сума і строк виплати (місяць).
payment-applicant = Хто звернувся
payment-applicant-person = Сама особа
payment-applicant-representative = Законний представник (він і отримує виплату)
payment-representative-name = Представник: прізвище, ім'я, по батькові
payment-representative-hint = Для дитини, розлученої із сім'єю, або недієздатної особи.
payment-representative-document = Документ, що підтверджує повноваження
payment-representative-document-hint = Назва, номер і дата документа.
payment-lost-ability = Особа втратила працездатність
payment-lost-ability-hint = Для повнолітньої особи; вкажіть підставу.
payment-lost-ability-basis = Підстава (документ)
payment-save = Записати заяву
payment-category = Категорія
payment-category-under_6 = Дитина до 6 років
payment-category-child_6_18 = Дитина від 6 до 18 років
payment-category-working_age = Працездатна особа
payment-category-lost_ability = Особа, яка втратила працездатність
payment-state-applied = Заяву подано
payment-state-approved = Призначено
payment-state-paid = Виплачено
payment-state-refused = Відмовлено
payment-action-approve = Призначити
payment-action-pay = Записати виплату
payment-action-refuse = Відмовити
payment-step-on = Дата
payment-ref = Номер платіжного документа
payment-ref-hint = Номер платіжної інструкції або відомості.
payment-grounds = Підстави відмови
payment-appeal-notice = Повідомлення про право оскаржити
payment-appeal-notice-default = Рішення може бути оскаржене до вищестоящого органу або до суду.
payment-amount = Сума
payment-due = Виплатити до
payment-basis = Розрахунок: { $text }
payment-certificate = Довідка про статус
payment-approved-on = Призначено
payment-paid-on = Виплачено
payment-refused-on = Відмовлено
payment-recorded-by = Записав(ла)
payment-register-lines = Рядки реєстру
payment-flash-applied = Заяву записано.
payment-flash-step = Записано.
payment-flash-reversed = Рядок реєстру сторновано.

register-title = Реєстр виплат
register-from = З
register-to = По
register-show = Показати
register-download = Завантажити XLSX
register-download-names = XLSX з іменами отримувачів
register-names-hint = Файл з іменами — лише для бухгалтерії; його завантаження записується в журнал.
register-totals = Підсумки за категоріями
register-total = Разом
register-count = Кількість
register-lines = Рядки
register-empty = За цей період записів немає.
register-more = Усього рядків за період: { $count }; усі — у файлі XLSX.
register-first-page = ← На початок
register-next-page = Наступні 100 рядків →
register-reverse = Сторнувати
register-reverse-lead = Реєстр не змінюється: буде додано рядок сторно з від'ємною сумою, пов'язаний з цим рядком.
register-reverse-reason = Підстава сторнування
register-reversed-by = сторновано рядком № { $line }
register-line-payment = Виплата: { $text }
register-line-reversal = Сторно: { $text }
register-state-reversal = Сторно
register-reversal-note = Сторно рядка № { $text }
register-sheet = Реєстр
register-file-title = Реєстр виплат одноразової матеріальної допомоги особам, які постраждали від торгівлі людьми, за { $period }
register-names-notice = Містить персональні дані отримувачів. Лише для бухгалтерії.
register-col-no = № з/п
register-col-entered = Дата внесення
register-col-case = Номер справи
register-col-recipient = Отримувач
register-col-category = Категорія
register-col-amount = Сума, грн
register-col-applied = Дата заяви
register-col-approved = Дата призначення
register-col-paid = Дата виплати
register-col-payment-ref = Платіжний документ
register-col-state = Стан
register-col-note = Примітка

rates-title = Прожиткові мінімуми і кратність виплати
rates-lead = Сума одноразової допомоги = кратність × прожитковий мінімум для категорії, чинні на дату заяви. Новий рядок не змінює вже визначених виплат.
rates-about = Прожиткові мінімуми за категоріями і кратність одноразової допомоги, з датами набрання чинності.
rates-minimums = Прожиткові мінімуми
rates-multipliers = Кратність
rates-effective-from = Чинний з
rates-factor = Кратність
rates-source = Джерело (закон, постанова)
rates-add-minimums = Додати рядок прожиткових мінімумів
rates-add-multiplier = Додати кратність
rates-save = Додати
rates-saved = Рядок додано.

err-payment-no-status = Статус особи, яка постраждала від торгівлі людьми, не встановлено — виплата неможлива.
err-payment-exists = Виплату за цим статусом уже записано: одна виплата на один встановлений статус.
err-payment-before-status = Заява не може бути раніше дати встановлення статусу.
err-payment-status-expired = На дату заяви строк дії довідки про статус минув.
err-payment-birth-date = Для визначення категорії потрібна дата народження особи.
err-payment-no-rates = На дату заяви немає чинного прожиткового мінімуму або кратності.
err-amount = Вкажіть суму в гривнях, наприклад 2817 або 2817,50.
err-factor = Кратність — ціле число від 1 до 100.
err-rate-date-taken = Рядок з такою датою вже є.
err-line-reversed = Цей рядок уже сторновано.
err-line-not-payment = Сторнувати можна лише рядок виплати.
err-register-too-long = Період містить понад 100 000 рядків — виберіть коротший.

audit-action-needs_assessed = Оцінено потреби
audit-action-service_planned = Заплановано послугу
audit-action-service_updated = Змінено стан послуги
audit-action-stay_recorded = Записано розміщення
audit-action-stay_extended = Продовжено розміщення
audit-action-stay_ended = Завершено розміщення
audit-action-assistance_list_viewed = Переглянуто список допомоги
audit-action-payment_applied = Записано заяву про виплату
audit-action-payment_step = Крок виплати
audit-action-payment_viewed = Переглянуто виплату
audit-action-payment_reversed = Сторновано рядок реєстру
audit-action-payment_register_viewed = Переглянуто реєстр виплат
audit-action-payment_register_downloaded = Завантажено реєстр виплат
audit-action-payment_rates_changed = Змінено прожиткові мінімуми або кратність

letter-title = Супровідний лист до бухгалтерії (DOCX)
letter-addressee = Адресат (у давальному відмінку)
letter-addressee-default = Відділу бухгалтерського обліку та звітності
letter-addressee-hint = Кому: назва підрозділу, за потреби — посада й ім'я керівника в давальному відмінку.
letter-number = Вихідний номер
letter-number-hint = Якщо порожньо — у листі буде місце, щоб вписати від руки.
letter-date = Дата листа
letter-position = Посада того, хто підписує
letter-signatory = Ім'я ПРІЗВИЩЕ того, хто підписує
letter-signatory-hint = Наприклад: Ганна ДЕМЧЕНКО.
letter-executor-field = Виконавець (ім'я, прізвище, телефон)
letter-executor-hint = Наприклад: Ганна Демченко, 0532 00 00 00.
letter-download = Завантажити лист
letter-number-date = № { $text }
letter-subject = Про реєстр виплат одноразової матеріальної допомоги
letter-body = Надсилаємо для перерахування коштів реєстр виплат одноразової матеріальної допомоги особам, яким встановлено статус особи, яка постраждала від торгівлі людьми (постанова Кабінету Міністрів України від 25 липня 2012 р. № 660), за період з { $from } по { $to }.
letter-body-total = У реєстрі { $count ->
    [one] { $count } виплата
    [few] { $count } виплати
   *[other] { $count } виплат
  } на загальну суму { $sum }; суми за категоріями наведено в таблиці.
letter-body-term = Кошти перераховуються протягом місяця з дня подання заяви.
letter-enclosure = Додаток: реєстр виплат за період з { $from } по { $to } (файл XLSX).
letter-executor = Виконавець:
