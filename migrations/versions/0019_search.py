"""search: each ticket's jieba words (search_terms) under a word index, its phone back to front, name and newest-first indexes

Revision ID: 0019_search
Revises: 0010_partitions

The word index is PostgreSQL's full text (a stored generated tsvector of search_terms under GIN) or
SQLite's FTS5 (models.search_index). Existing tickets are filled in batches of BATCH, with the same jieba
words intake stores (about a minute per million tickets).
"""
import sqlalchemy as sa
from alembic import op

from models import search_index

revision = "0019_search"
down_revision = "0017_practices"
branch_labels = None
depends_on = None

BATCH = 2000


def _backfill(conn) -> None:
    """Fill search_terms and phone_reversed of every existing ticket, in id order, a batch at a time."""
    from hotline.services.search_terms import reversed_digits, terms_of

    tickets = sa.table("tickets", sa.column("id"), sa.column("title"), sa.column("content"), sa.column("address"),
                       sa.column("caller_phone"), sa.column("search_terms"), sa.column("phone_reversed"))
    update = (sa.update(tickets).where(tickets.c.id == sa.bindparam("ticket_id"))
              .values(search_terms=sa.bindparam("terms"), phone_reversed=sa.bindparam("reversed")))
    last = 0
    while True:
        rows = conn.execute(sa.select(tickets.c.id, tickets.c.title, tickets.c.content, tickets.c.address,
                                      tickets.c.caller_phone).where(tickets.c.id > last)
                            .order_by(tickets.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(update, [{"ticket_id": r.id, "terms": terms_of(r.title, r.content, r.address),
                               "reversed": reversed_digits(r.caller_phone)} for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("search_terms", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("phone_reversed", sa.String(20), server_default="", nullable=False))
    conn = op.get_bind()
    _backfill(conn)
    op.create_index("ix_tickets_phone_reversed_created", "tickets", ["phone_reversed", "created_at"])
    op.create_index("ix_tickets_caller_name_created", "tickets", ["caller_name", "created_at"])
    op.create_index("ix_tickets_created_id", "tickets", ["created_at", "id"])
    statements = search_index.postgresql_sql() if conn.dialect.name == "postgresql" else search_index.sqlite_sql()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.drop_index(search_index.PG_INDEX, table_name="tickets")
        op.drop_column("tickets", search_index.PG_COLUMN)
    else:
        for trigger in search_index.FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute(f"DROP TABLE {search_index.FTS_TABLE}")
    op.drop_index("ix_tickets_created_id", table_name="tickets")
    op.drop_index("ix_tickets_caller_name_created", table_name="tickets")
    op.drop_index("ix_tickets_phone_reversed_created", table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("phone_reversed")
        batch_op.drop_column("search_terms")
