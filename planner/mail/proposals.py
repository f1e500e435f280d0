"""Messages to the proposers of a side event (issue #14, ``areas/proposals.py``): the proposal
received, changes requested, accepted, declined, a comment meant for them, proposals merged.

Rendered like the others (``render.render``, in the proposer's language, when sent). The link
carries the proposer's own token (``ticket_codes.proposal_token``, derived in
``face/proposals.py``'s ``_proposal_extra``, so the outbox row holds no secret) and opens
``/proposal?t=…``. What the proposer typed is shown as plain text (the HTML part escapes it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..i18n import _
from . import render


def proposal_url(base_url: str, token: str, language: str) -> str:
    """``/proposal?t=…``, in the proposer's language."""
    query = {"t": token, **({"lang": language} if language != "en" else {})}
    return f"{base_url.rstrip('/')}/proposal?{urlencode(query)}"


def proposal_content(row, s: render.Situation, sender: render.Sender) -> render.Content | str:
    """The message's pieces, or the reason it no longer applies."""
    proposal, token = s.extra.get("proposal"), s.extra.get("proposal_token")
    if proposal is None or token is None:
        return "the proposal or its proposer is gone"
    title = proposal.title
    link = [(_("Your proposal: follow it, answer the organizers or change it"),
             proposal_url(sender.base_url, token, row.language))]
    kind = row.kind
    if kind == "proposal_received":
        c = render.Content(
            subject=_("Proposal received: {title}").format(title=title),
            paragraphs=[
                _("Thank you: we received your proposal “{title}” for {call}.").format(title=title,
                                                                                       call=proposal.call.title),
                _("Keep this message: its link is the only way to follow your proposal, answer the organizers' "
                  "questions, and change or withdraw it until they decide."),
            ],
        )
    elif kind == "proposal_changes_requested":
        if proposal.status != "changes_requested":
            return "the proposal is no longer waiting for changes"
        asked = next((c for c in reversed(proposal.comments) if c.kind == "changes_requested"), None)
        c = render.Content(
            subject=_("Changes requested: {title}").format(title=title),
            paragraphs=[_("The organizers ask you to change your proposal “{title}”. Open it with the link below, "
                          "make the changes and save.").format(title=title)],
        )
        if asked is not None:
            c.details.append((_("What should change"), asked.body))
    elif kind == "proposal_accepted":
        if proposal.status != "accepted":
            return "the proposal is no longer accepted"
        c = render.Content(
            subject=_("Accepted: {title}").format(title=title),
            paragraphs=[_("Good news: the organizers accepted your proposal “{title}”. They are preparing the event "
                          "and will publish it on the programme.").format(title=title)],
        )
        event = s.extra.get("accepted_event")
        if event is not None:
            c.details = [(_("When"), render._when(event)), (_("Where"), render._where(event))]
        c.paragraphs.append(_("The co-sponsoring organizations and the speakers with an email will be asked to "
                              "confirm their part."))
    elif kind == "proposal_declined":
        if proposal.status != "declined":
            return "the proposal is no longer declined"
        c = render.Content(
            subject=_("Not accepted: {title}").format(title=title),
            paragraphs=[_("We are sorry: the organizers could not accept your proposal “{title}”.").format(
                title=title)],
            details=[(_("Reason"), proposal.decline_reason)],
        )
    elif kind == "proposal_comment":
        comment = s.extra.get("comment")
        if comment is None or not comment.visible:
            return "the comment is gone or not meant for the proposer"
        c = render.Content(
            subject=_("A message about your proposal: {title}").format(title=title),
            paragraphs=[_("The organizers wrote about your proposal “{title}”:").format(title=title), comment.body],
        )
    elif kind == "proposal_merged":
        c = render.Content(
            subject=_("Proposals merged: {title}").format(title=title),
            paragraphs=[_("The organizers merged two proposals into “{title}”: you now follow it together with "
                          "the other proposers, through the link below.").format(title=title)],
        )
    else:
        raise ValueError(kind)
    c.links = link
    return c
