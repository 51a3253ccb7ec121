"""Sign-in, and the first-run dialog that creates the workspace's first administrator.

Both are plain forms a screen reader announces field by field; errors appear as text with a
warning sign (never colour alone) and are announced, and nothing typed except the PIN is
cleared by a failed attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.demo.accounts import DemoAccount
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.ui.display import error_text_colour
from bwv_review.ui.display_settings import display_settings_button
from bwv_review.ui.fitting import keep_tall_enough
from bwv_review.ui.tab_order import buttons_in_screen_order

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

    from bwv_review.services.auth import AuthService
    from bwv_review.services.workspace_settings import WorkspaceSettingsService

FIRST_RUN_PURPOSE = "first run: create the first administrator"
SIGN_IN_PURPOSE = "app sign-in"
CHANGE_PIN_PURPOSE = "app: change own PIN"
DEMO_LABEL = "Demonstration data"
_DEMO_COLUMNS = ("Name", "Who", "Roles", "PIN")


class SignsIn(Protocol):
    """What the sign-in window needs of the accounts: AuthService, or the app's stand-in
    that opens the workspace behind the window (so the window shows before the database
    layer has loaded)."""

    def sign_in(self, username: str, secret: str, *, purpose: str) -> Actor: ...


def _line_edit(accessible_name: str, *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData)
    return edit


def _form_buttons(
    dialog: QDialog, text: str, name: str, accept: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (renamed for what it does, the default) and Cancel for a set-up form; OK runs
    `accept`, which closes the dialog only once what was typed is taken."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(text)
    ok.setAccessibleName(name)
    ok.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def _lay_out_form(
    dialog: QDialog, intro: QLabel, form: QFormLayout, error: QLabel, buttons: QWidget
) -> None:
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    keep_tall_enough(dialog)  # the hint wraps at 200% text


class SpokenLabel(QLabel):
    """A label with a name of its own ("Result") whose words a screen reader still reads:
    Qt reads out only the name of such a label, so its words go in its description too."""

    def __init__(self, name: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleDescription(text)


class ErrorLabel(QLabel):
    """An inline error: a warning sign and words, announced by screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what people typed
        self.setAccessibleName("Error")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        # Selectable text gives a label click focus only: Tab reaches it too, to read again.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        bold = QFont()
        bold.setBold(True)  # the weight only: the size follows the app's text size
        self.setFont(bold)
        self._follow_theme()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_theme()

    def _follow_theme(self) -> None:
        """Red that reads on the window behind it, in a light, dark or high-contrast
        theme; a fixed dark red was 1.58:1 on a dark window."""
        palette = self.palette()
        colour = error_text_colour(palette)
        if palette.color(QPalette.ColorRole.WindowText) != colour:
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)

    def show_error(self, message: str) -> None:
        self.setText(f"\u26a0 {message}")
        self.setAccessibleDescription(message)
        self.show()
        self._grow_window()
        self._announce(message)

    def _announce(self, message: str) -> None:
        """A screen reader says the error at once, without moving focus from the field
        to put right (a label appearing is otherwise heard only if someone goes to it)."""
        event = QAccessibleAnnouncementEvent(self, f"Error: {message}")
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)

    def _grow_window(self) -> None:
        """A dialog already on screen keeps its height when the message appears, so the
        layout squashed the fields and cut the message's lines: the window grows instead."""
        window = self.window()
        layout = window.layout()
        if not isinstance(window, QDialog) or layout is None:
            return  # a main window's panes scroll or share out their room themselves
        layout.activate()
        needed = layout.totalHeightForWidth(window.width())
        if needed < 0:
            needed = layout.totalMinimumSize().height()
        if window.height() < needed:
            window.resize(window.width(), needed)

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class SignInDialog(QDialog):
    """`demo_accounts`, only for a workspace flagged as demonstration data: listed with
    their PINs, and choosing one fills in the form."""

    def __init__(
        self,
        auth: SignsIn,
        database_label: str,
        parent: QWidget | None = None,
        *,
        demo_accounts: Sequence[DemoAccount] = (),
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self.actor: Actor | None = None
        title = "Sign in to bwv-review"
        self.setWindowTitle(f"{title} \u2014 {DEMO_LABEL}" if demo_accounts else title)
        self.setAccessibleName(self.windowTitle())
        # Wide enough that a message wraps at most once rather than into a narrow column.
        self.setMinimumWidth(380)

        intro = QLabel(
            f"{DEMO_LABEL}: every case, clip and person in this workspace is fictional. "
            "Sign in as any of the accounts below; choosing one fills in its name and PIN."
            if demo_accounts
            else "Sign in with the name and PIN your panel administrator gave you."
        )
        intro.setWordWrap(True)
        self.username = _line_edit("User name")
        self.secret = _line_edit("PIN or password", secret=True)
        self.error = ErrorLabel()
        where = QLabel(f"Database: {database_label}")
        where.setAccessibleName("Database location")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Name:", self.username)
        form.addRow("&PIN:", self.secret)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setAccessibleName("Sign in")
        self.sign_in_button.setDefault(True)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel and close")
        self.display_button = display_settings_button(self)
        buttons.addButton(self.display_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self._try_sign_in)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons_in_screen_order(buttons)
        self.demo_accounts: QTableWidget | None = None
        self._demo_list = tuple(demo_accounts)
        if demo_accounts:
            self.demo_accounts = self._demo_table(demo_accounts)
            label = QLabel("&Demo accounts:")
            label.setBuddy(self.demo_accounts)
            layout.addWidget(label)
            layout.addWidget(self.demo_accounts)
        layout.addWidget(where)
        # The demo's introduction wraps onto more lines at 200% text, and the accounts
        # list fell off the bottom of the window.
        keep_tall_enough(self)
        self.username.setFocus()

    def _demo_table(self, accounts: Sequence[DemoAccount]) -> QTableWidget:
        # Imported here, as the combo box below: a Qt class's first import builds its type
        # and enums, which a sign-in window without demo accounts would wait for.
        from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

        table = QTableWidget(len(accounts), len(_DEMO_COLUMNS))
        table.setAccessibleName("Demo accounts and their PINs")
        table.setHorizontalHeaderLabels(_DEMO_COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as from every field
        for row, account in enumerate(accounts):
            for column, text in enumerate(
                (account.username, account.display_name, account.role_labels, account.pin)
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        rows_height = sum(table.rowHeight(row) for row in range(len(accounts)))
        table.setMinimumHeight(table.horizontalHeader().height() + rows_height + 4)
        # The row the list is on is the account filled in, from the moment the list takes
        # the focus (on its first row), so Enter signs in as the account that is shown.
        table.currentCellChanged.connect(lambda row, _c, _r, _p: self._fill_from_demo_account(row))
        table.itemActivated.connect(lambda _item: self._try_sign_in())
        return table

    def _fill_from_demo_account(self, row: int) -> None:
        if self.demo_accounts is None or not 0 <= row < len(self._demo_list):
            return
        self.demo_accounts.selectRow(row)
        self.username.setText(self._demo_list[row].username)
        self.secret.setText(self._demo_list[row].pin)

    def _try_sign_in(self) -> None:
        self.error.clear_error()
        name = self.username.text().strip()
        if not name:
            self.error.show_error("Type your name first.")
            self.username.setFocus()
            return
        try:
            self.actor = self._auth.sign_in(name, self.secret.text(), purpose=SIGN_IN_PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.secret.clear()
            self.error.show_error(str(exc))
            self.secret.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """Shown while the workspace has no accounts at all: the panel's name and force, and
    its first administrator. The panel's settings are stored first, while no one can sign
    in (WorkspaceSettingsService.set_up), so a refused account leaves them to try again."""

    def __init__(
        self, auth: AuthService, panel: WorkspaceSettingsService, parent: QWidget | None = None
    ) -> None:
        # Only the first run shows this dialog, after the workspace is open: the sign-in
        # window must not wait for the services it does not use.
        from PySide6.QtWidgets import QComboBox  # see _demo_table

        from bwv_review.services.auth import MIN_SECRET_LENGTH
        from bwv_review.services.workspace_settings import FORCES

        super().__init__(parent)
        self._auth = auth
        self._panel = panel
        self.actor: Actor | None = None
        self.setWindowTitle("Set up bwv-review")
        self.setAccessibleName("Set up bwv-review: the panel and its first administrator")

        intro = QLabel(
            "<b>Welcome.</b> No one has an account in this workspace yet.<br>"
            "Name the panel and the force whose footage it reviews, then create the first "
            "administrator: the person who imports records and footage and adds the panel's "
            "members. They can also act as panel chair."
        )
        intro.setWordWrap(True)
        now = panel.current()
        self.panel_name = _line_edit("Panel name")
        self.panel_name.setPlaceholderText("e.g. Avon and Somerset Police Powers Scrutiny Panel")
        self.panel_name.setText(now.panel_name or "")
        self.force = QComboBox()
        self.force.setAccessibleName("Force")
        self.force.addItem("Choose the force…", None)
        for slug, name in FORCES.items():
            self.force.addItem(name, slug)
        self.force.setCurrentIndex(max(self.force.findData(now.force), 0))
        self.username = _line_edit("User name")
        self.username.setPlaceholderText("e.g. jsmith")
        self.display_name = _line_edit("Full name")
        self.secret = _line_edit("Choose a PIN or password", secret=True)
        self.confirm = _line_edit("Type the PIN again", secret=True)
        hint = QLabel(f"At least {MIN_SECRET_LENGTH} characters. It is stored only as a hash.")
        hint.setWordWrap(True)
        self.error = ErrorLabel()

        form = QFormLayout()
        form.addRow("Pa&nel name:", self.panel_name)
        form.addRow("F&orce:", self.force)
        form.addRow("&User name:", self.username)
        form.addRow("&Full name:", self.display_name)
        form.addRow("Choose a &PIN:", self.secret)
        form.addRow("Type the PIN &again:", self.confirm)
        form.addRow("", hint)

        buttons, self.create_button = _form_buttons(
            self, "&Create administrator", "Create administrator", self._try_create
        )
        _lay_out_form(self, intro, form, self.error, buttons)
        self.panel_name.setFocus()

    def _try_create(self) -> None:
        self.error.clear_error()
        if not self.panel_name.text().strip():
            self._refuse("Give the panel a name.", self.panel_name)
            return
        force = self.force.currentData()
        if force is None:
            self._refuse("Choose the force whose footage the panel reviews.", self.force)
            return
        if self.secret.text() != self.confirm.text():
            self.secret.clear()
            self.confirm.clear()
            self._refuse("The two PINs differ. Type them again.", self.secret)
            return
        try:
            self._panel.set_up(
                panel_name=self.panel_name.text(), force=force, purpose=FIRST_RUN_PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self._refuse(str(exc), self.panel_name)
            return
        try:
            self.actor = self._auth.create_first_admin(
                self.username.text(),
                self.display_name.text(),
                self.secret.text(),
                purpose=FIRST_RUN_PURPOSE,
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self._refuse(str(exc), self.username)
            return
        self.accept()

    def _refuse(self, message: str, field: QWidget) -> None:
        self.error.show_error(message)
        field.setFocus()


class ChangePinDialog(QDialog):
    """A person's own new PIN. Right after sign-in with a temporary PIN (one an
    administrator set) `current` is the PIN just typed, so only the new one is asked for;
    otherwise the current PIN is asked too, so a screen left signed in cannot be used to
    take the account over."""

    def __init__(
        self,
        auth: AuthService,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        current: str | None = None,
    ) -> None:
        # Shown after sign-in, when the services are loaded: see FirstAdminDialog.
        from bwv_review.services.auth import MIN_SECRET_LENGTH

        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._given_current = current
        self.setWindowTitle("Choose your own PIN" if current is not None else "Change your PIN")
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(
            f"Welcome, {actor.display_name}. The PIN you signed in with was set by an "
            "administrator, so it is temporary: choose your own PIN now. You will use it "
            "from now on."
            if current is not None
            else "Type your current PIN, then the new one twice."
        )
        intro.setWordWrap(True)
        self.current = _line_edit("Current PIN", secret=True)
        self.new_secret = _line_edit("New PIN", secret=True)
        self.confirm = _line_edit("Type the new PIN again", secret=True)
        hint = QLabel(f"At least {MIN_SECRET_LENGTH} characters. It is stored only as a hash.")
        hint.setWordWrap(True)
        self.error = ErrorLabel()

        form = QFormLayout()
        if current is None:
            form.addRow("&Current PIN:", self.current)
        form.addRow("&New PIN:", self.new_secret)
        form.addRow("Type the new PIN &again:", self.confirm)
        form.addRow("", hint)

        buttons, self.change_button = _form_buttons(
            self, "&Save new PIN", "Save new PIN", self._try_change
        )
        _lay_out_form(self, intro, form, self.error, buttons)
        (self.new_secret if current is not None else self.current).setFocus()

    def _try_change(self) -> None:
        self.error.clear_error()
        if self.new_secret.text() != self.confirm.text():
            self._refuse("The two new PINs differ. Type them again.")
            return
        current = self._given_current
        if current is None:
            current = self.current.text()
        try:
            self._auth.change_own_secret(
                self._actor, current, self.new_secret.text(), purpose=CHANGE_PIN_PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self._refuse(str(exc))
            return
        self.accept()

    def _refuse(self, message: str) -> None:
        self.new_secret.clear()
        self.confirm.clear()
        self.error.show_error(message[:1].upper() + message[1:])
        if self._given_current is None:
            self.current.clear()
            self.current.setFocus()
        else:
            self.new_secret.setFocus()
