"""The output guard (bvplan.edits.files.write_output): no output lands on a plan, however the path
reaches it; special files are streamed or refused, never replaced; a failed write leaves the old file.

The library is called directly, and the commands that write files (`status -o`, `report -o`, `due
--format ics -o`, `export updates -o`) in-process, each on real files and real symbolic links.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bvplan.cli import main
from bvplan.edits.files import TEMP_SUFFIX, write_output
from bvplan.errors import OutputFailed, RefusedOutput

PLAN = "bvip-2018-19"
AS_OF = "2018-06-30"


@pytest.fixture
def plans(plans_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped plans in tmp_path/plans, with tmp_path as the working folder."""
    monkeypatch.chdir(plans_copy.parent)
    return Path("plans")


def theme_file(plans: Path) -> Path:
    return plans / PLAN / "grants.yaml"


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX))


# ---- the library ---------------------------------------------------------------------------------


def _direct_link(plans: Path) -> Path:
    Path("out.csv").symlink_to(theme_file(plans))
    return Path("out.csv")


def _link_in_an_output_folder(plans: Path) -> Path:
    Path("out").mkdir()
    Path("out/link.csv").symlink_to(Path("..") / theme_file(plans))
    return Path("out/link.csv")


def _folder_link_on_the_way(plans: Path) -> Path:
    Path("out").symlink_to(plans / PLAN)
    return Path("out/grants.yaml")


def _new_name_through_a_folder_link(plans: Path) -> Path:
    Path("out").symlink_to(plans / PLAN)
    return Path("out/new.csv")


def _inside_a_plan_folder(plans: Path) -> Path:
    return plans / PLAN / "status.csv"


def _chain_of_links(plans: Path) -> Path:
    Path("a").symlink_to(theme_file(plans))
    Path("b").symlink_to("a")
    return Path("b")


def _dangling_link_into_a_plan_folder(plans: Path) -> Path:
    Path("out.md").symlink_to(plans / PLAN / "not-yet.md")
    return Path("out.md")


WAYS_IN = [
    _direct_link,
    _link_in_an_output_folder,
    _folder_link_on_the_way,
    _new_name_through_a_folder_link,
    _inside_a_plan_folder,
    _chain_of_links,
    _dangling_link_into_a_plan_folder,
]


@pytest.mark.parametrize("way_in", WAYS_IN, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("replace", [True, False])
def test_no_output_lands_in_the_plans_however_the_path_reaches_them(
    plans: Path, way_in: Callable[[Path], Path], replace: bool
) -> None:
    before = {p: p.read_bytes() for p in sorted(plans.rglob("*")) if p.is_file()}
    path = way_in(plans)
    with pytest.raises(RefusedOutput, match=r"will not write to .*(a plan file|inside the plan folder)"):
        write_output(path, b"status,csv\n", plans=[plans], replace=replace)
    assert {p: p.read_bytes() for p in sorted(plans.rglob("*")) if p.is_file()} == before
    assert not debris(plans.parent)


@pytest.mark.parametrize("name", ["extra.yaml", "extra.yml"])
def test_a_yaml_file_in_the_plans_folder_is_refused_since_it_would_be_read_as_a_plan(plans: Path, name: str) -> None:
    with pytest.raises(RefusedOutput, match="a YAML file in the plans folder plans, read as a plan file"):
        write_output(plans / name, b"{}\n", plans=[plans])
    assert not (plans / name).exists()
    # Other files beside the plan folders are not read as plans.
    assert write_output(plans / "notes.csv", b"x\n", plans=[plans]) == "wrote"


def test_the_refusal_names_the_path_and_the_plan_file_it_points_at(plans: Path) -> None:
    path = _link_in_an_output_folder(plans)
    with pytest.raises(RefusedOutput) as refused:
        write_output(path, b"x\n", plans=[plans])
    assert str(refused.value) == (
        f"will not write to out/link.csv: it points at {theme_file(plans)}, a plan file; nothing written"
    )


def test_a_theme_file_that_links_outside_the_plans_folder_is_protected_where_it_lives(plans: Path) -> None:
    """A plan folder may hold a link to a theme file kept elsewhere: that file is a plan file too."""
    elsewhere = Path("shared")
    elsewhere.mkdir()
    theme = theme_file(plans)
    shutil.move(theme, elsewhere / "grants.yaml")
    theme.symlink_to(Path("../../shared/grants.yaml"))
    kept = (elsewhere / "grants.yaml").read_bytes()
    Path("out.csv").symlink_to(elsewhere / "grants.yaml")
    with pytest.raises(RefusedOutput, match="a plan file"):
        write_output(Path("out.csv"), b"x\n", plans=[plans])
    assert (elsewhere / "grants.yaml").read_bytes() == kept


def test_one_plans_folder_protects_the_plan_it_names(plans: Path) -> None:
    """`--plans plans/<plan>` loads that plan's folder: it is protected as well."""
    Path("out.csv").symlink_to(theme_file(plans))
    with pytest.raises(RefusedOutput, match="a plan file"):
        write_output(Path("out.csv"), b"x\n", plans=[plans / PLAN])


def test_outside_the_plans_a_link_is_written_through_and_kept(plans: Path) -> None:
    Path("papers").mkdir()
    Path("papers/q1.md").write_bytes(b"old\n")
    Path("latest.md").symlink_to("papers/q1.md")
    assert write_output(Path("latest.md"), b"new\n", plans=[plans]) == "wrote"
    assert Path("latest.md").is_symlink()
    assert Path("papers/q1.md").read_bytes() == b"new\n"


def test_a_file_replaced_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "status.csv"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_output(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["status.csv"]


def test_without_replace_a_file_there_already_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "owner.xlsx"
    path.write_bytes(b"theirs\n")
    with pytest.raises(RefusedOutput, match="exists; nothing written"):
        write_output(path, b"mine\n", replace=False)
    assert path.read_bytes() == b"theirs\n"
    assert write_output(tmp_path / "new.xlsx", b"mine\n", replace=False) == "wrote"
    assert (tmp_path / "new.xlsx").read_bytes() == b"mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx", "owner.xlsx"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedOutput, match="is a folder"):
        write_output(tmp_path, b"x\n")


def test_a_pipe_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "paper.md"
    os.mkfifo(fifo)
    with pytest.raises(RefusedOutput, match="a pipe that nothing is reading"):
        write_output(fifo, b"x\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_pipe_with_a_reader_is_streamed_into_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "paper.md"
    os.mkfifo(fifo)
    data = b"line\n" * 50_000  # more than a pipe holds: the writer has to wait for the reader
    # Opened for reading and writing (Linux allows it on a pipe), the reader is there before the
    # writer and never sees an end of file before the data; it reads exactly what was sent.
    descriptor = os.open(fifo, os.O_RDWR)
    received = bytearray()

    def read() -> None:
        while len(received) < len(data):
            received.extend(os.read(descriptor, 65536))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert write_output(fifo, data) == "streamed to"
        reader.join(10)
    finally:
        os.close(descriptor)
    assert bytes(received) == data
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_character_device_is_streamed_into_never_replaced() -> None:
    assert write_output(Path(os.devnull), b"x\n") == "streamed to"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_full_device_is_an_output_failure() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with pytest.raises(OutputFailed, match="No space left on device"):
        write_output(Path("/dev/full"), b"x\n")


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "status.csv"
    path.write_bytes(b"old\n")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(f"bvplan.edits.files.os.{step}", full)
    with pytest.raises(OutputFailed, match=r"status.csv: No space left on device"):
        write_output(path, b"new\n" * 1000)
    monkeypatch.undo()
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["status.csv"]


def test_a_missing_folder_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(RefusedOutput, match=r"cannot write in .*missing"):
        write_output(tmp_path / "missing" / "status.csv", b"x\n")


# ---- the commands --------------------------------------------------------------------------------


def bvplan(*args: str) -> tuple[int, str]:
    """bvplan in process, through its error boundary: the exit code and all it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(list(args))
    return code, printed.getvalue()


def test_status_csv_onto_a_link_to_a_theme_file_is_refused(plans: Path) -> None:
    theme = theme_file(plans)
    kept = theme.read_bytes()
    Path("out.csv").symlink_to(theme)
    code, output = bvplan("status", "--as-of", AS_OF, "--format", "csv", "-o", "out.csv")
    assert code == 2, output
    assert "will not write to out.csv: it points at" in output
    assert theme.read_bytes() == kept
    assert Path("out.csv").is_symlink()


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json", "md"])
def test_status_into_an_output_folder_through_a_link_is_refused(plans: Path, suffix: str) -> None:
    theme = theme_file(plans)
    kept = theme.read_bytes()
    Path("out").mkdir()
    Path(f"out/link.{suffix}").symlink_to(Path("..") / theme)
    code, output = bvplan("status", "--as-of", AS_OF, "-o", f"out/link.{suffix}")
    assert code == 2, output
    assert "a plan file" in output
    assert theme.read_bytes() == kept
    assert not debris(Path("."))


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_report_into_a_plan_folder_through_a_folder_link_is_refused(plans: Path, suffix: str) -> None:
    before = {p: p.read_bytes() for p in sorted(plans.rglob("*")) if p.is_file()}
    Path("papers").symlink_to(plans / PLAN)
    code, output = bvplan("report", "q1", "--plan", PLAN, "-o", f"papers/q1.{suffix}")
    assert code == 2, output
    assert "inside the plan folder" in output
    assert {p: p.read_bytes() for p in sorted(plans.rglob("*")) if p.is_file()} == before


def _owner_file_names(command: list[str]) -> list[str]:
    """The names a per-owner command writes, learnt from a run into a scratch folder."""
    code, output = bvplan(*command, "-o", "scratch")
    assert code == 0, output
    names = sorted(p.name for p in Path("scratch").iterdir())
    shutil.rmtree("scratch")
    assert names
    return names


@pytest.mark.parametrize(
    "command",
    [
        ["due", "--as-of", AS_OF, "--format", "ics"],
        ["export", "updates", "--as-of", AS_OF, "--force"],
    ],
    ids=["due-ics", "export-updates"],
)
def test_per_owner_files_never_replace_a_plan_file_linked_into_the_folder(plans: Path, command: list[str]) -> None:
    names = _owner_file_names(command)
    theme = theme_file(plans)
    kept = theme.read_bytes()
    Path("out").mkdir()
    for name in names[:-1]:  # files from last month, which the command replaces
        Path("out", name).write_bytes(b"last month\n")
    Path("out", names[-1]).symlink_to(Path("..") / theme)
    code, output = bvplan(*command, "-o", "out")
    assert code == 2, output
    assert f"will not write to out/{names[-1]}: it points at" in output
    assert theme.read_bytes() == kept
    # Refused before any file was written: last month's files are as they were.
    assert [Path("out", name).read_bytes() for name in names[:-1]] == [b"last month\n"] * (len(names) - 1)


def test_an_output_folder_that_is_a_plan_folder_is_refused_before_it_is_used(plans: Path) -> None:
    before = sorted(p.name for p in (plans / PLAN).iterdir())
    code, output = bvplan("due", "--as-of", AS_OF, "--format", "ics", "-o", str(plans / PLAN / "calendars"))
    assert code == 2, output
    assert "inside the plan folder" in output
    assert sorted(p.name for p in (plans / PLAN).iterdir()) == before


def test_report_format_all_checks_every_file_before_writing_the_first(plans: Path) -> None:
    theme = theme_file(plans)
    kept = theme.read_bytes()
    Path("papers").mkdir()
    Path("papers/q1.html").symlink_to(Path("..") / plans / PLAN / "q1.html")  # a link into a plan folder
    code, output = bvplan("report", "q1", "--plan", PLAN, "--format", "all", "-o", "papers/q1")
    assert code == 2, output
    assert "will not write to papers/q1.html: it points at" in output and "inside the plan folder" in output
    assert theme.read_bytes() == kept
    assert sorted(p.name for p in Path("papers").iterdir()) == ["q1.html"]  # no q1.md either
