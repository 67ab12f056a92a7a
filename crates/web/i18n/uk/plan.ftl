# Plan of measures: the plan pages, its import and export (issue 3).
plan-list-title = Плани заходів
plan-none = Планів ще немає.
plan-new = Новий план
plan-edit = Редагування плану
plan-import = Імпортувати план
plan-field-title = Назва плану
plan-field-years = Роки
plan-field-year-from = Рік початку
plan-field-year-to = Рік завершення
plan-field-act = Затверджувальний акт
plan-field-act-number = Номер акта
plan-field-act-date = Дата акта
plan-field-owner = Координатор (організація, що узагальнює звіти)
plan-hint-owner = Організація, якій виконавці подають звіти і яка готує зведений звіт.
plan-act-of = від
plan-approved-by = затверджено актом
plan-flash-created = План створено.
plan-flash-imported = План імпортовано:
plan-flash-goal = Оперативну ціль збережено.
plan-flash-task = Завдання збережено.
plan-flash-measure-added = Захід додано.
plan-flash-measure-saved = Зміни заходу збережено.
plan-flash-moved = Порядок заходів змінено.
plan-flash-retired = Захід знято; його звіти збережено.
plan-flash-restored = Захід повернуто до плану.
plan-err-conflict = Поки ви редагували, хтось інший зберіг цей план. Ваш текст залишився у формі — перевірте його і збережіть ще раз.
plan-err-conflict-measure = Поки ви редагували, хтось інший змінив цей захід. Ваш текст залишився у формі — перевірте його і збережіть ще раз.
plan-count-goals = { $count ->
    [one] { $count } оперативна ціль
    [few] { $count } оперативні цілі
   *[other] { $count } оперативних цілей
}
plan-count-tasks = { $count ->
    [one] { $count } завдання
    [few] { $count } завдання
   *[other] { $count } завдань
}
plan-count-measures = { $count ->
    [one] { $count } захід
    [few] { $count } заходи
   *[other] { $count } заходів
}
plan-count-links = { $count ->
    [one] { $count } зв'язок «захід — виконавець»
    [few] { $count } зв'язки «захід — виконавець»
   *[other] { $count } зв'язків «захід — виконавець»
}
plan-table-caption = Оперативні цілі, завдання і заходи плану
plan-col-task = Найменування завдання
plan-col-measure = Найменування заходу
plan-col-term = Строк виконання
plan-col-executors = Виконавці
plan-col-actions = Дії
plan-goal = Оперативна ціль
plan-task = Завдання
plan-empty = У плані ще немає оперативних цілей.
plan-no-measures = Заходів ще немає.
plan-retired = знято
plan-export-xlsx = Завантажити .xlsx
plan-export-docx = Завантажити .docx
plan-goal-new = Додати оперативну ціль
plan-goal-edit = Редагування оперативної цілі
plan-goal-edit-short = Змінити ціль
plan-field-goal-text = Текст оперативної цілі
plan-task-new = Додати завдання
plan-task-edit = Редагування завдання
plan-task-edit-short = Змінити завдання
plan-field-task-text = Текст завдання
plan-measure-new = Додати захід
plan-measure-edit = Редагування заходу
plan-measure-edit-short = Змінити
plan-move-up = Перемістити вище
plan-move-down = Перемістити нижче
plan-retire = Зняти
plan-restore = Повернути
plan-field-measure-text = Текст заходу
plan-field-term = Строк виконання
plan-hint-term = Як у плані: «2023-2025», «постійно», «до 2025 року».
plan-field-executors = Виконавці
plan-field-indicators = Показники
plan-hint-indicators = По одному в рядку: назва | одиниця | цільове значення. Наприклад: Кількість заходів | од. | 12
plan-periods = Звітні періоди
plan-no-periods = Звітних періодів ще не відкрито.
plan-period-open = відкритий
plan-period-closed = закритий
plan-period-due = звіти виконавців до { $date }
plan-field-half-year = Півріччя
plan-open-period = Відкрити звітний період
plan-import-title = Імпорт плану з файлу
plan-import-lead = Таблиця .xlsx або документ .docx із чотирма стовпцями, як у плані: завдання, захід, строк, виконавці; рядки «Оперативна ціль N. …» між ними. Нічого не буде записано, доки весь план не прочитано без помилок.
plan-import-failed = План не імпортовано: виправте позначене. Нічого не записано.
plan-import-problems = Що не так у файлі
plan-import-row = Рядок { $row }
plan-import-submit = Імпортувати
plan-field-file = Файл плану (.xlsx або .docx)
plan-hint-file = Не більше 5 МБ.
plan-file-again = Оберіть файл ще раз.
plan-err-file-required = Оберіть файл.
plan-err-file-problems = У файлі є рядки, які не вдалося прочитати (список вище).
plan-err-too-big = Файл завеликий: не більше 5 МБ.
plan-err-unpacks-too-large = Файл містить більше, ніж можна прочитати: розпакований він завеликий або оголошує забагато записів. Збережіть у файлі лише таблицю плану й спробуйте знову.
plan-err-not-plan-file = Це не таблиця .xlsx і не документ .docx.
plan-err-not-xlsx = Файл має розширення .xlsx, але він не є таблицею Excel.
plan-err-not-docx = Файл має розширення .docx, але він не є документом Word.
plan-err-no-table = У документі немає таблиці.
plan-err-damaged = Файл пошкоджений, його не вдалося прочитати. Збережіть його ще раз у програмі, де його створено, і спробуйте знову.
plan-err-busy = Сервер зараз зайнятий читанням інших файлів. Спробуйте за хвилину.
plan-err-columns = Не знайдено рядка заголовка з чотирма стовпцями: завдання, захід, строк виконання, виконавці.
plan-map-title = Виконавці, яких немає в довіднику
plan-map-lead = У файлі «{ $file }» є виконавці, яких не знайдено серед організацій. Оберіть для кожного організацію з довідника — тоді план буде імпортовано.
plan-map-executors = Кого як розуміти
plan-map-rows = рядки: { $rows }
plan-map-details = Відомості про план
plan-err-map-required = Оберіть організацію для цього виконавця.
err-year = Введіть рік чотирма цифрами, наприклад 2025.
err-year-order = Рік завершення не може бути раніше за рік початку.
err-executors-required = Оберіть щонайменше одного виконавця.
err-indicator-line = Кожен показник — окремий рядок «назва | одиниця | ціль».
err-import-goal-text = Рядок оперативної цілі без тексту.
err-import-columns-row = У рядку менше чотирьох стовпців.
err-import-before-goal = Захід стоїть перед першою оперативною ціллю.
err-import-no-task = Захід без завдання: у першому стовпці вище немає завдання.
err-import-measure-text = Немає тексту заходу.
err-import-too-long = Текст заходу задовгий (понад 4000 символів).
err-import-term = Строк виконання не прочитано:
err-import-no-executors = Не вказано виконавців.
err-import-no-rows = У файлі немає жодного заходу.
