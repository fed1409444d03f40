"""The open tasks (Aufgaben) from the minutes as terminal text, for ``redaktion status``.

The overview itself (:func:`redaktion.assemble.sessions.open_tasks`) is shared with the internal
site's page „Aufgaben“, so both list exactly the same tasks.
"""

from __future__ import annotations

from ..assemble.sessions import TaskLine, tasks_by_member


def format_tasks(tasks: list[TaskLine]) -> str:
    """Open tasks by member, overdue ones marked, each with the session it comes from."""
    overdue = sum(1 for task in tasks if task.overdue)
    if not tasks:
        return "Offene Aufgaben: keine.\n"
    head = f"Offene Aufgaben ({len(tasks)}" + (f", davon {overdue} überfällig" if overdue else "") + "):"
    lines = [head]
    for member, own in tasks_by_member(tasks):
        lines.append(f"  {member}")
        for task in own:
            mark = "ÜBERFÄLLIG " if task.overdue else ""
            due = f"bis {task.due_label}" if task.due else task.due_label
            lines.append(f"    • {mark}{task.text} – {due} ({task.session_heading}, TOP {task.top})")
    return "\n".join(lines) + "\n"
