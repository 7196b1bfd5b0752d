"""Stored matching documents: the text an item is matched by and its sentence embeddings.

One row per matched item (an expert, a demand, a catalogue entry, an organisation). The text is
denormalised here on purpose: the in-process index (`registry`) loads from this table alone, and a
changed `text_hash` is what tells the background task that an item must be re-encoded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.matching.embedding import DIM


class Embedding(models.Model):
    class ItemType(models.TextChoices):
        EXPERT = "expert", _("Expert")
        DEMAND = "demand", _("Demand")
        OFFERING = "offering", _("Catalogue entry")
        ORGANISATION = "organisation", _("Organisation")

    item_type = models.CharField(_("item type"), max_length=12, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField(_("item id"))
    text = models.TextField(_("matched text"), blank=True)
    titles = models.JSONField(_("titles"), default=list, blank=True)
    field_codes = models.JSONField(_("field codes"), default=list, blank=True)
    text_hash = models.CharField(_("text hash"), max_length=64)
    dim = models.PositiveSmallIntegerField(_("dimensions"), default=DIM)
    # float32, row-major: one row of `dim` values per sentence/title (engine.snippets_of order).
    vectors = models.BinaryField(_("sentence vectors"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id"], name="matching_embedding_unique_item"),
            models.CheckConstraint(condition=models.Q(dim__gt=0), name="matching_embedding_dim_positive"),
        ]
        indexes = [
            # registry.MatchIndex.sync: "rows of this type changed since the index was last synced".
            models.Index(fields=["item_type", "updated_at"], name="matching_embedding_type_upd"),
        ]

    def __str__(self) -> str:
        return f"{self.item_type}:{self.item_id}"
