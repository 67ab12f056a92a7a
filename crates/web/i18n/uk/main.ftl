# Oberih — українська (мова за замовчуванням)

app-name = Оберіг
skip-to-content = Перейти до змісту
nav-label = Головне меню
nav-home = Головна
nav-organisations = Організації
nav-new-user = Новий користувач
nav-audit = Журнал аудиту
nav-account = Мій обліковий запис
sign-in = Увійти
sign-out = Вийти
sign-out-everywhere = Вийти на всіх пристроях
switch-language = English
footer-note = Дані осіб, які постраждали від торгівлі людьми, захищені законом. Кожен доступ записується.
request-id = Номер запиту
back-home = На головну
back-to-list = До списку
any = Будь-яка
choose = — оберіть —
filter = Показати
save = Зберегти
cancel = Скасувати
edit = Редагувати
yes = так
no = ні
by-consent = за згодою
nothing-found = Нічого не знайдено.
pager-label = Сторінки
pager-first = « На початок
pager-next = Далі »
form-has-errors = Форму не збережено: виправте позначені поля. Усе, що ви ввели, залишилося на місці.

sign-in-title = Вхід до системи
sign-in-lead = Увійдіть зі своїм логіном і паролем, які видав адміністратор вашої організації.
sign-in-invalid = Неправильний логін або пароль.
sign-in-locked = { $minutes ->
    [one] Забагато невдалих спроб входу. Спробуйте знову через { $minutes } хвилину.
    [few] Забагато невдалих спроб входу. Спробуйте знову через { $minutes } хвилини.
   *[other] Забагато невдалих спроб входу. Спробуйте знову через { $minutes } хвилин.
}
session-expired = Сеанс завершився. Увійдіть знову.
csrf-title = Форму не прийнято
csrf-body = Сторінка застаріла або запит надійшов не з цього сайту. Оновіть сторінку й спробуйте ще раз — введене можна скопіювати перед оновленням.

home-title = Головна
home-greeting = Вітаємо, { $name }
home-your-roles = Ваші ролі
home-waiting = Що чекає на мене
home-nothing-waiting = Наразі нічого не чекає на вашу дію.
home-you-can = Що ви можете робити
home-my-organisation = Моя організація
home-who-is-in-it = Хто в ній працює в системі
waiting-change-password = Змініть тимчасовий пароль
waiting-users-no-roles = { $count ->
    [one] { $count } користувач без ролі
    [few] { $count } користувачі без ролей
   *[other] { $count } користувачів без ролей
}
waiting-users-disabled = { $count ->
    [one] { $count } вимкнений обліковий запис
    [few] { $count } вимкнені облікові записи
   *[other] { $count } вимкнених облікових записів
}
waiting-denials = { $count ->
    [one] { $count } відмова в доступі за тиждень
    [few] { $count } відмови в доступі за тиждень
   *[other] { $count } відмов у доступі за тиждень
}
waiting-failed-sign-ins = { $count ->
    [one] { $count } невдала спроба входу за добу
    [few] { $count } невдалі спроби входу за добу
   *[other] { $count } невдалих спроб входу за добу
}
waiting-seal-never = Печатку журналу аудиту ще не перевіряли
waiting-seal-stale = { $days ->
    [one] Печатку журналу аудиту не перевіряли { $days } день
    [few] Печатку журналу аудиту не перевіряли { $days } дні
   *[other] Печатку журналу аудиту не перевіряли { $days } днів
}
waiting-seal-broken = { $count ->
    [one] Остання перевірка печатки журналу аудиту знайшла { $count } проблему
    [few] Остання перевірка печатки журналу аудиту знайшла { $count } проблеми
   *[other] Остання перевірка печатки журналу аудиту знайшла { $count } проблем
}
waiting-locked = { $count ->
    [one] { $count } блокування входу за добу
    [few] { $count } блокування входу за добу
   *[other] { $count } блокувань входу за добу
}

orgs-title = Організації — суб'єкти взаємодії
orgs-new = Нова організація
orgs-edit = Редагування організації
orgs-filter-text = Назва містить
org-bodies = Входить до складу
org-members = Користувачі
org-no-members = У системі ще немає користувачів цієї організації.
flash-org-created = Організацію створено.
flash-saved = Зміни збережено.
flash-imported = Організації імпортовано.
err-conflict-org = Поки ви редагували, хтось інший зберіг цю організацію. Ваші зміни залишилися у формі — перевірте їх і збережіть ще раз.

field-name = Назва
field-short-name = Скорочена назва
field-kind = Вид
field-territory = Територія
field-edrpou = Код ЄДРПОУ
field-by-consent = Бере участь за згодою
field-email = Електронна пошта
field-phone = Телефон
field-address = Адреса
field-login = Логін
field-password = Пароль
field-full-name = Прізвище, ім'я, по батькові
field-organisation = Організація
field-roles = Ролі
field-state = Стан
field-last-sign-in = Останній вхід
field-initial-password = Початковий пароль
field-temporary-password = Тимчасовий пароль
field-current-password = Поточний пароль
field-new-password = Новий пароль
hint-edrpou = 8 цифр; остання — контрольна.
hint-login = Латинські малі літери, цифри, крапка, дефіс або підкреслення; від 3 до 64 символів.
hint-password = Щонайменше 12 символів; не містить логіна. Зручно — кілька слів через дефіс.
hint-temporary-password = Користувач змінить його під час наступного входу; усі його сеанси буде завершено.

users-edit = Редагування користувача
user-active = активний
user-disabled = вимкнений
user-access = Доступ
user-disable = Вимкнути обліковий запис
user-enable = Увімкнути обліковий запис
user-reset-password = Скинути пароль
flash-user-created = Користувача створено. Повідомте йому логін і початковий пароль особисто.
flash-user-saved = Зміни збережено.
flash-user-disabled = Обліковий запис вимкнено, усі сеанси завершено.
flash-user-enabled = Обліковий запис увімкнено.
flash-user-password = Тимчасовий пароль встановлено, усі сеанси користувача завершено.

account-title = Мій обліковий запис
account-must-change = Ви увійшли з тимчасовим паролем. Змініть його, щоб продовжити роботу.
account-change-password = Змінити пароль
account-sessions = Сеанси
account-sessions-lead = Якщо ви входили з чужого комп'ютера або загубили пристрій, завершіть усі сеанси.
flash-password-changed = Пароль змінено. Інші сеанси завершено.

audit-title = Журнал аудиту
audit-filter-user = Логін користувача
audit-filter-action = Дія
audit-filter-from = З дати
audit-filter-to = По дату
audit-col-time = Час
audit-col-user = Користувач
audit-col-action = Дія
audit-col-subject = Об'єкт
audit-col-ip = IP-адреса
audit-col-details = Подробиці

err-required = Заповніть це поле.
err-too-long = Занадто довге значення.
err-invalid-choice = Оберіть значення зі списку.
err-email = Введіть адресу електронної пошти, наприклад name@example.gov.ua.
err-phone = Введіть номер телефону цифрами, наприклад +38 0532 00 00 00.
err-edrpou-shape = Код ЄДРПОУ складається з 8 цифр.
err-edrpou-check = Контрольна цифра не збігається — перевірте код ЄДРПОУ.
err-edrpou-taken = Організація з таким кодом ЄДРПОУ вже є.
err-name-taken = Організація з такою назвою вже є.
err-login-shape = Логін — від 3 до 64 латинських малих літер, цифр, «.», «-» або «_».
err-login-taken = Такий логін уже зайнято.
err-password-short = Пароль має містити щонайменше 12 символів.
err-password-login = Пароль не може містити логін.
err-password-weak = Пароль занадто простий.
err-password-current = Поточний пароль неправильний.
err-roles-empty = Оберіть щонайменше одну роль.
err-roles-admin-cases = Адміністратор не може мати ролей із доступом до справ (розподіл обов'язків).
err-roles-admin-auditor = Адміністратор не може бути аудитором власних дій.
err-date = Введіть дату у форматі рррр-мм-дд.
err-import-empty = Файл порожній.
err-import-too-big = Файл завеликий.
err-import-not-utf8 = Файл не в кодуванні UTF-8.
err-import-not-csv = Це не файл CSV.
err-import-columns = У файлі немає обов'язкових стовпців name (або name_uk) і kind.
err-import-unknown-column = Невідомий стовпець.
err-import-default-territory = Територію за замовчуванням не знайдено.
err-import-row-shape = Рядок має іншу кількість полів, ніж заголовок.
err-import-bool = Очікується «так» або «ні».
err-import-duplicate = Ця назва вже трапилася у файлі вище.
err-400-title = Запит не прийнято
err-400-body = У запиті є помилки.
err-403-title = Немає доступу
err-403-body = Ваші ролі не дозволяють відкрити цю сторінку. Спробу записано до журналу аудиту.
err-404-title = Не знайдено
err-404-body = Такої сторінки немає або у вас немає до неї доступу.
err-409-title = Конфлікт змін
err-409-body = Хтось інший змінив ці дані. Оновіть сторінку.
err-413-title = Завеликий запит
err-413-body = Надіслане більше, ніж сервер приймає. Поверніться назад і зменште файл або текст.
err-413-anonymous-body = До входу в систему сервер приймає лише короткі форми. Увійдіть і надішліть ще раз.
err-nul-title = Недопустимий символ
err-nul-body = Поле «{ $field }» містить нульовий символ (NUL), якого не може бути в тексті. Поверніться назад (введене збережеться у формі), видаліть його й надішліть ще раз.
err-404-malformed-body = Адреса сторінки неправильна: номер запису має бути числом.
err-429-title = Забагато спроб
err-429-body = Зачекайте трохи й спробуйте знову.
err-500-title = Помилка сервера
err-500-body = Щось пішло не так. Повідомте адміністратору номер запиту внизу сторінки.

role-national_coordinator = Національний координатор
role-regional_coordinator = Регіональний координатор
role-executor = Виконавець заходів
role-case_officer = Відповідальна посадова особа
role-partner = Партнер
role-hotline_operator = Оператор гарячої лінії
role-analyst = Аналітик
role-administrator = Адміністратор
role-auditor = Аудитор
role-national_coordinator-can = Переглядати зведені дані всіх областей — без персональних даних.
role-regional_coordinator-can = Вести регіональний план заходів, відкривати звітні періоди, перевіряти звіти виконавців і публікувати статистику області.
role-executor-can = Готувати й подавати звіти своєї організації про виконання заходів плану.
role-case_officer-can = Приймати повідомлення про виявлення, вести процедуру встановлення статусу, допомогу й виплати у справах свого підрозділу.
role-partner-can = Бачити лише справи, скеровані до вашої організації, лише потрібні поля і лише поки скерування відкрите.
role-hotline_operator-can = Реєструвати консультації гарячої лінії; доступу до справ немає.
role-analyst-can = Переглядати зведену статистику.
role-administrator-can = Вести облікові записи користувачів, організації та налаштування; доступу до змісту справ немає.
role-auditor-can = Переглядати журнал аудиту й перевіряти його печатку.

org-kind-ministry = Міністерство
org-kind-oblast_administration = Обласна військова (державна) адміністрація
org-kind-social_protection_department = Департамент соціального захисту населення
org-kind-education_department = Департамент освіти
org-kind-health_department = Департамент охорони здоров'я
org-kind-culture_department = Департамент культури
org-kind-information_department = Департамент інформаційної діяльності
org-kind-raion_administration = Районна військова (державна) адміністрація
org-kind-police = Національна поліція
org-kind-children_service = Служба у справах дітей
org-kind-social_services_centre = Центр соціальних служб
org-kind-legal_aid_centre = Центр безоплатної правничої допомоги
org-kind-employment_centre = Центр зайнятості
org-kind-training_centre = Центр підвищення кваліфікації
org-kind-labour_inspectorate = Держпраці
org-kind-migration_service = Міграційна служба
org-kind-hromada_council = Орган місцевого самоврядування
org-kind-ngo = Громадська організація
org-kind-international_organisation = Міжнародна організація
body-kind-coordination_council = координаційна рада
body-kind-multidisciplinary_group = мультидисциплінарна група

audit-action-sign_in = Вхід
audit-action-sign_in_failed = Невдалий вхід
audit-action-sign_in_locked = Вхід заблоковано
audit-action-sign_out = Вихід
audit-action-sign_out_everywhere = Вихід на всіх пристроях
audit-action-password_changed = Зміна власного пароля
audit-action-password_reset = Скидання пароля
audit-action-user_created = Створення користувача
audit-action-user_updated = Зміна користувача
audit-action-user_roles_changed = Зміна ролей
audit-action-user_disabled = Вимкнення користувача
audit-action-user_enabled = Увімкнення користувача
audit-action-organisation_created = Створення організації
audit-action-organisation_updated = Зміна організації
audit-action-organisations_imported = Імпорт організацій
audit-action-body_created = Створення органу
audit-action-body_members_changed = Зміна складу органу
audit-action-permission_denied = Відмова в доступі
audit-action-request_refused = Запит відхилено

nav-bodies = Ради й групи
bodies-title = Координаційні ради й мультидисциплінарні групи
bodies-new = Нова рада або група
bodies-lead = Колегіальні органи, через які суб'єкти взаємодії координують протидію торгівлі людьми.
bodies-members-count = Членів
bodies-members = Організації-члени
hint-multiple = Щоб обрати кілька, утримуйте Ctrl (на Mac — Cmd).
flash-body-created = Орган створено.
err-members-empty = Оберіть щонайменше одну організацію.
err-body-name-taken = Орган із такою назвою вже є.
audit-action-audit_log_exported = Вивантаження журналу аудиту
audit-download = Завантажити XLSX
audit-sheet = Аудит
audit-xlsx-title = Журнал аудиту «Оберіг»

## Cases and the status procedure (issue 4): messages the domain returns, and the audit vocabulary.
err-choice = Оберіть значення зі списку.
err-birth-date = Дата народження не може бути в майбутньому або понад 110 років тому.
err-future-date = Дата не може бути в майбутньому.
err-past-date = Дата не може бути в минулому.
err-child-age = Позначка «дитина» не відповідає віку.
err-language-for-interpreter = Зазначте мову, з якої перекладають.
err-age = Вік — ціле число від 0 до 110.
err-representative-for-child = Для дитини зазначте законного представника.
err-country-for-abroad = Зазначте країну, де відбувалася експлуатація.
err-date-order = Кінцева дата не може бути раніше початкової.
err-consent-needed = Щоб передати дані, що ідентифікують особу, потрібне посилання на її згоду.
err-step-not-now = Цей крок зараз неможливий: процедура перебуває на іншому етапі.
err-before-previous-step = Дата не може бути раніше попереднього кроку процедури.
err-interview-consent = Співбесіда проводиться лише за згодою особи або її представника.
err-no-responsible-unit = Для цієї території не визначено відповідальний підрозділ.
err-case-not-open = Справа не відкрита.
err-procedure-open = У цій справі вже триває процедура встановлення статусу.
err-no-police = Для території справи не знайдено органу поліції.
audit-action-notice_recorded = Зареєстровано повідомлення про виявлення
audit-action-notice_accepted = Прийнято повідомлення, відкрито справу
audit-action-notice_redirected = Повідомлення переспрямовано
audit-action-case_viewed = Переглянуто справу
audit-action-case_updated = Змінено відомості справи
audit-action-person_updated = Змінено персональні дані
audit-action-case_closed = Справу закрито
audit-action-case_reopened = Справу знову відкрито
audit-action-duplicate_warning = Показано попередження про можливий дублікат
audit-action-referral_sent = Надіслано перенаправлення
audit-action-referral_viewed = Переглянуто перенаправлення
audit-action-referral_accepted = Перенаправлення прийнято
audit-action-referral_declined = Перенаправлення відхилено
audit-action-referral_answered = Надано відповідь на перенаправлення
audit-action-referral_closed = Перенаправлення закрито
audit-action-application_registered = Заяву зареєстровано в журналі
audit-action-procedure_step = Записано крок процедури
audit-action-case_document_added = Додано документ до справи
audit-action-case_document_downloaded = Завантажено документ справи
audit-action-certificate_downloaded = Сформовано довідку про статус
audit-action-refusal_letter_downloaded = Сформовано лист про відмову
audit-action-journal_viewed = Переглянуто журнал обліку заяв
audit-action-journal_downloaded = Сформовано журнал обліку заяв
audit-action-rulebook_created = Створено редакцію строків процедури
audit-action-calendar_changed = Змінено календар вихідних днів
audit-action-template_replaced = Замінено шаблон документа
audit-action-template_reset = Відновлено типовий шаблон документа
waiting-notices = { $count ->
    [one] { $count } нове повідомлення про виявлення чекає рішення
    [few] { $count } нові повідомлення про виявлення чекають рішення
   *[other] { $count } нових повідомлень про виявлення чекають рішення
  }
waiting-referrals = { $count ->
    [one] { $count } нове направлення чекає відповіді
    [few] { $count } нові направлення чекають відповіді
   *[other] { $count } нових направлень чекають відповіді
  }

## The seal over the audit log (/audit/chain)
audit-chain-title = Печатка журналу аудиту
audit-chain-intro = Кожен рядок журналу аудиту за кілька секунд після появи запечатується в ланцюжок хешів: якщо запечатаний рядок змінити чи видалити, ланцюжок ламається. Перевірка проходить увесь ланцюжок від початку.
audit-chain-end = Кінець ланцюжка
audit-chain-empty = Ще жоден рядок не запечатано.
audit-chain-entries = { $count ->
    [one] Запечатано { $count } рядок
    [few] Запечатано { $count } рядки
   *[other] Запечатано { $count } рядків
}
audit-chain-sealed-at = остання печатка { $at }
audit-chain-anchor-hint = Запишіть цей якір поза системою (у службовій записці, листі чи звіті) і вкажіть його під час наступної перевірки: тоді буде видно, навіть якщо ланцюжок переписали повністю.
audit-chain-intact = Ланцюжок цілий
audit-chain-broken = { $count ->
    [one] Знайдено { $count } проблему
    [few] Знайдено { $count } проблеми
   *[other] Знайдено { $count } проблем
}
audit-chain-checked = { $count ->
    [one] Перевірено { $count } запис ланцюжка.
    [few] Перевірено { $count } записи ланцюжка.
   *[other] Перевірено { $count } записів ланцюжка.
}
audit-chain-anchors-checked = Звірено якорів: { $count }.
audit-chain-sealed-now = Щойно запечатано рядків: { $count }.
audit-chain-waiting = Ще чекають печатки (з'явилися щойно): { $count }.
audit-chain-more = Ще не показано: { $count }.
audit-chain-anchors = Якорі з попередніх перевірок
audit-chain-anchors-hint = По одному в рядку: номер запису, двокрапка, хеш — як показано вище. Можна лишити порожнім.
audit-chain-line = Рядок { $line }:
audit-chain-verify = Перевірити ланцюжок
err-anchor = якір — це номер запису і його хеш із 64 шістнадцяткових цифр, наприклад 1234:5f3a…
audit-chain-problem-row-missing = Запис ланцюжка { $seq }: рядок аудиту { $row } зник.
audit-chain-problem-changed = Запис ланцюжка { $seq }: рядок аудиту { $row } або сам запис змінено після печатки.
audit-chain-problem-entries-missing = Записи ланцюжка { $from }–{ $to } зникли.
audit-chain-problem-head = Кінець ланцюжка вказує на запис { $head }, а останній запис — { $last }.
audit-chain-problem-unsealed = Рядок аудиту { $row } стоїть позаду кінця ланцюжка і не запечатаний.
audit-chain-problem-anchor = Якір { $seq }:{ $hash } не збігається: запис { $seq } тепер має інший хеш.
audit-chain-problem-anchor-beyond = Якір { $seq }:{ $hash }: ланцюжок більше не сягає запису { $seq }.
audit-action-audit_chain_verified = Перевірка печатки журналу аудиту
