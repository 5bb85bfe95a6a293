"""E-mail over SMTP (the standard library's smtplib)."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from models import OutboxMessage

from .render import Rendered


class SmtpEmail:
    """Sends each message as one plain-text mail."""

    def __init__(self, host: str, port: int, sender: str, username: str = "", password: str = "",
                 starttls: bool = False, timeout: float = 30) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout

    def send(self, message: OutboxMessage, rendered: Rendered) -> None:
        """Hand the mail to the SMTP server; any refusal raises."""
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.recipient, rendered.subject
        # Lets a mail client thread the notices of one outbox row, and a receiver spot a redelivery.
        mail["Message-ID"] = f"<outbox-{message.id}@{self.sender.partition('@')[2] or 'hotline'}>"
        mail.set_content(rendered.text)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(mail)
