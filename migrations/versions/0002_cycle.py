"""the supervision cycle: job runs, report snapshots, supervision cases, flag columns on tickets

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:27:53.059704
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the cycle's tables and add the flag, threshold and callback columns to tickets."""
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('started_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('host', sa.String(length=100), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('job', 'period', name='uq_job_runs_job_period')
    )
    op.create_table('report_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('monthly', 'annual', name='reportkind', native_enum=False, length=32), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('as_of', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_report_snapshots_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshots')),
    sa.UniqueConstraint('kind', 'period', 'revision', name='uq_report_snapshots_kind_period_revision')
    )
    op.create_table('supervision_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=6), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('level', sa.Enum('department_head', 'city_leader', name='supervisionlevel', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='supervisionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('responsible_person', sa.String(length=100), nullable=False),
    sa.Column('rectification', sa.JSON(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('deadline', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_supervision_cases_closed_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_supervision_cases_department_id_departments')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_supervision_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_supervision_cases_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_cases')),
    sa.UniqueConstraint('quarter', 'ticket_id', name='uq_supervision_cases_quarter_ticket')
    )
    with op.batch_alter_table('supervision_cases', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_cases_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_cases_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_warn_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sign_black_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_warn_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_black_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('supervision_black_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('callback_due_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flag', sa.Enum('green', 'yellow', 'red', 'black', name='ticketflag', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('flag_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sign_escalated_for', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_escalated_for', models.base.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    """Drop what upgrade() added."""
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('reply_escalated_for')
        batch_op.drop_column('sign_escalated_for')
        batch_op.drop_column('flag_at')
        batch_op.drop_column('flag')
        batch_op.drop_column('callback_due_at')
        batch_op.drop_column('supervision_black_at')
        batch_op.drop_column('reply_black_at')
        batch_op.drop_column('reply_warn_at')
        batch_op.drop_column('sign_black_at')
        batch_op.drop_column('sign_warn_at')

    with op.batch_alter_table('supervision_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_cases_ticket_id'))
        batch_op.drop_index('ix_supervision_cases_status_deadline')

    op.drop_table('supervision_cases')
    op.drop_table('report_snapshots')
    op.drop_table('job_runs')
