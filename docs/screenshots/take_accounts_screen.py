"""Take docs/screenshots/accounts.png and change_pin_first_sign_in.png under Xvfb at
1280x800: File > Accounts as the demo's administrator sees it (the demo's people, one who
left the panel disabled) just after a forgotten PIN was reset, with the new temporary PIN
shown once; then the dialog that person meets at their next sign-in, choosing their own PIN.

Run from the repository root: `.venv/bin/python docs/screenshots/take_accounts_screen.py`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb, save_window

HERE = Path(__file__).resolve().parent
PURPOSE = "docs screenshot"
LEFT = ("dprice", "Dan Price")  # a reviewer who left the panel: disabled, never deleted
FORGOT = "reviewer3"  # Tom Bennett, who forgot his PIN


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bwv_review.demo import DEMO_ACCOUNTS, DEMO_PIN
    from bwv_review.domain.vocab import Role
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.accounts_screen import AccountsDialog
    from bwv_review.ui.sign_in import ChangePinDialog

    app = QApplication([])
    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    admin_account = next(a for a in DEMO_ACCOUNTS if Role.ADMIN in a.roles)
    admin = workspace.auth.create_first_admin(
        admin_account.username, admin_account.display_name, DEMO_PIN, purpose=PURPOSE
    )
    for account in DEMO_ACCOUNTS:
        if account is not admin_account:
            workspace.auth.create_user(
                admin, account.username, account.display_name, DEMO_PIN,
                list(account.roles), purpose=PURPOSE, temporary=False,
            )  # fmt: skip
    workspace.auth.create_user(
        admin, *LEFT, DEMO_PIN, [Role.REVIEWER], purpose=PURPOSE, temporary=False
    )
    workspace.users.set_active(admin, LEFT[0], False, purpose=PURPOSE)

    screen = AccountsDialog(workspace, admin)
    screen.move(190, 140)
    screen.show()

    def reset_a_forgotten_pin() -> None:
        """Down the table to the person, then Space on Reset PIN (Xvfb runs no window
        manager to make the window active, which Alt+P needs)."""
        while (person := screen.selected()) is not None and person.username != FORGOT:
            QTest.keyClick(screen.table, Qt.Key.Key_Down)
        QTest.keyClick(screen.reset_button, Qt.Key.Key_Space)

    def grab_accounts() -> None:
        save_window(screen, HERE / "accounts.png")
        print(f"wrote {HERE / 'accounts.png'}")
        pin = screen.message.text().split(": ", 1)[1].split(".", 1)[0]
        screen.close()
        tom = workspace.auth.sign_in(FORGOT, pin, purpose=PURPOSE)
        choose = ChangePinDialog(workspace.auth, tom, current=pin)
        choose.show()
        QTimer.singleShot(600, lambda: type_own_pin(choose))

    def type_own_pin(dialog: ChangePinDialog) -> None:
        for field in (dialog.new_secret, dialog.confirm):
            QTest.keyClicks(field, "531975")
        QTimer.singleShot(600, lambda: grab_choose(dialog))

    def grab_choose(dialog: ChangePinDialog) -> None:
        save_window(dialog, HERE / "change_pin_first_sign_in.png")
        print(f"wrote {HERE / 'change_pin_first_sign_in.png'}")
        app.quit()

    QTimer.singleShot(800, reset_a_forgotten_pin)
    QTimer.singleShot(1800, grab_accounts)
    QTimer.singleShot(30_000, app.quit)  # never hang a docs build
    app.exec()
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
