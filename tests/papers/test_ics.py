"""What owners receive: a calendar goes to a person's own device, so it is public unless asked otherwise."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

SECRET_NOTE = "Heads of terms remain outstanding"  # PR1.6's exempt note in the shipped plans
DUE = ("due", "--plan", "bvip-2018-19", "--as-of", "2018-09-15", "--within", "30")


def _calendars(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.ics"))).replace("\r\n ", "")


def test_an_owners_calendar_leaves_out_an_exempt_note(run_cli: RunCli, repo_root: Path, tmp_path: Path) -> None:
    done = run_cli(*DUE, "--format", "ics", "-o", tmp_path / "ics", cwd=repo_root)

    assert done.returncode == 0, done.stderr
    text = _calendars(tmp_path / "ics")
    assert "PR1.6 Agree leases" in text  # the milestone is public; only its note is not
    assert SECRET_NOTE not in text


def test_private_puts_the_exempt_note_in_the_calendar(run_cli: RunCli, repo_root: Path, tmp_path: Path) -> None:
    done = run_cli(*DUE, "--format", "ics", "--private", "-o", tmp_path / "ics", cwd=repo_root)

    assert done.returncode == 0, done.stderr
    assert SECRET_NOTE in _calendars(tmp_path / "ics")


def test_due_public_leaves_out_an_exempt_milestone(run_cli: RunCli, plans_copy: Path) -> None:
    theme = plans_copy / "bvip-2018-19" / "property.yaml"
    text = theme.read_text(encoding="utf-8")
    marked = text.replace(
        "        due: 2018-09-30        # Not in the papers",
        "        exempt: true\n        due: 2018-09-30        # Not in",
        1,
    )
    assert marked != text
    theme.write_text(marked, encoding="utf-8")
    args = (*DUE, "--plans", plans_copy)

    full = run_cli(*args)
    public = run_cli(*args, "--public")

    assert full.returncode == public.returncode == 0, public.stderr
    assert "bvip-2018-19/PR1.6" in full.stdout
    assert "bvip-2018-19/PR1.6" not in public.stdout
    assert public.stdout.splitlines()[0] != full.stdout.splitlines()[0]  # the count in the heading is the public one


def test_an_owner_whose_work_is_all_exempt_gets_an_empty_calendar(run_cli: RunCli, plans_copy: Path) -> None:
    theme = plans_copy / "bvip-2018-19" / "communications.yaml"
    text = theme.read_text(encoding="utf-8")
    marked = text.replace(
        "    owner: Intranet Project Manager", "    exempt: true\n    owner: Intranet Project Manager", 1
    )
    assert marked != text
    theme.write_text(marked, encoding="utf-8")
    args = ("due", "--plan", "bvip-2018-19", "--as-of", "2018-08-15", "--within", "30", "--plans", plans_copy)
    folder = plans_copy.parent / "ics"

    private = run_cli(*args, "--format", "ics", "--private", "-o", folder)
    assert private.returncode == 0, private.stderr
    assert "BEGIN:VEVENT" in (folder / "intranet-project-manager.ics").read_text(encoding="utf-8")
    public = run_cli(*args, "--format", "ics", "-o", folder)

    # The public run replaces the file the private one wrote: no event of exempt work is left behind.
    assert public.returncode == 0, public.stderr
    calendar = (folder / "intranet-project-manager.ics").read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in calendar and "BEGIN:VEVENT" not in calendar
    assert "CO1.3" not in calendar
