"""The only code that hands mail to a mail server: campaigns.mail.sender."""
