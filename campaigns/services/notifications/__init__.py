"""Telling people when something needs them: notifications on the page and by mail.

    catalogue   the kinds, who is told of each, which are batched
    notify      the one door for events: a function per kind, called in the event's transaction
    recording   writes the rows (the outbox pattern of the WFM webhooks)
    recipients  who the supervisors, admins, a draft's people and a campaign's planners are
    composing   a worker turns due notifications into MailMessage rows (one per event, or one batch per 5 min)
    sending     a worker sends one MailMessage per task; the minute's sweep composes and re-rings
    words       what each notification says, in the reader's zone, and the page it links to
    preferences what each person wants by mail, the zone of their mail, the one-click unsubscribe link
    inbox       the notifications page: unread first, the top bar's count, marking read
"""
