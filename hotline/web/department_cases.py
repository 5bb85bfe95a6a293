"""督办件 for the responsible unit: its cases, and its own rectification steps (整改清单) with done marks."""
from __future__ import annotations

from datetime import date

from flask import redirect, render_template, url_for
from wtforms import FieldList, FormField

from models import Role, SupervisionCase, SupervisionStatus

from ..db import get_session
from ..services import rectification
from ..services.cycle import supervision
from .auth import current_user, login_required
from .common import now, paginate, perform
from .department import bp
from .forms import WebForm
from .supervisor_reports import StepForm


class StepsForm(WebForm):
    """The unit's rectification steps; a blank row adds nothing, clearing a row's action removes it."""

    steps = FieldList(FormField(StepForm), label="整改清单", min_entries=1, max_entries=50)


@bp.get("/cases")
@login_required(Role.DEPARTMENT)
def cases():
    """The unit's open supervision cases, nearest deadline first."""
    query = supervision.cases_query(None, SupervisionStatus.OPEN, current_user().department_id, order="deadline")
    return render_template("department/cases.html", page=paginate(query, None))


def _case_page(case: SupervisionCase, form: StepsForm | None = None, status: int = 200):
    """One case as the unit sees it: the three lists, with its steps to keep."""
    if form is None:
        steps = [{"action": s["action"], "deadline": date.fromisoformat(s["deadline"]), "done": s.get("done", False)}
                 for s in case.rectification]
        form = StepsForm(formdata=None, steps=steps + [{}])
    return render_template("department/case.html", case=case, form=form), status


@bp.get("/cases/<int:case_id>")
@login_required(Role.DEPARTMENT)
def case(case_id: int):
    """One of the unit's cases (another unit's is a 404)."""
    return _case_page(supervision.find(get_session(), case_id, current_user().department_id))


@bp.post("/cases/<int:case_id>")
@login_required(Role.DEPARTMENT)
def case_steps(case_id: int):
    """保存整改清单: the unit's steps replace the list; the change is an event on the ticket."""
    found = supervision.find(get_session(), case_id, current_user().department_id)
    form = StepsForm()
    if form.validate_on_submit():
        steps = [supervision.Step(entry.action.data, entry.deadline.data, entry.done.data)
                 for entry in form.steps.entries if entry.action.data]
        error = perform(lambda: rectification.update_steps(get_session(), found, steps, current_user(), now()),
                        form, done=f"督办件 {case_id} 的整改清单已保存。")
        if error is None:
            return redirect(url_for(".case", case_id=case_id))
        return _case_page(found, form, error.status)
    return _case_page(found, form, 400)
