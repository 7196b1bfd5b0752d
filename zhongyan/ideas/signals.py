"""News from the ideas module, sent with transaction.on_commit after the write commits.
Higher layers (notifications, portal) listen; this module never imports them.

Every signal is sent with `sender=Idea` and the keyword arguments listed below.

Anonymity: in an anonymous campaign the idea's author must not reach anyone but operators.
Receivers must never read `idea.author` / `idea.co_authors` for text meant for other people;
they use the `author_label` kwarg (None when the campaign is anonymous: write "Anonymous") or
`zhongyan.ideas.permissions.author_label_for(recipient, idea)`.

`urgent=True` marks news that deserves an immediate e-mail (a mention); everything else is
digest material (campaign activity, replies, stage changes).
"""

from django.dispatch import Signal

# idea, campaign, actor, author_label, urgent=False
idea_submitted = Signal()
# comment, idea, campaign, actor, actor_label (None when the actor is the hidden author of an
# anonymous idea: write "Author of the idea"), parent_author (User | None: who was replied to), urgent=False
comment_posted = Signal()
# comment, idea, campaign, actor, actor_label (as above), user (the mentioned person), urgent=True
user_mentioned = Signal()
# idea, campaign, actor (None for an automatic advance), old_stage, new_stage, automatic, urgent=False
idea_stage_changed = Signal()
# idea, campaign, demand, actor, urgent=False
idea_promoted = Signal()
# idea, campaign, actor (the moderator), urgent=False. The reason is on the idea, for its authors' eyes.
idea_hidden = Signal()
