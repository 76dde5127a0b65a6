"""vendoreval.files: input files are checked and decoded with a clear error; output files are written atomically."""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendoreval import files
from vendoreval.errors import UserError
from vendoreval.files import (
    FileProblem,
    atomic_output,
    check_input_file,
    decode_text,
    read_bytes,
    read_text,
    write_bytes_atomic,
    write_text_atomic,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and permission bits are POSIX")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- writing ------------------------------------------------------------------------------------


def test_writer_that_fails_midway_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"old content")
    with pytest.raises(RuntimeError, match="writer broke"), atomic_output(target) as fh:
        fh.write(b"new and half")
        raise RuntimeError("writer broke")
    assert target.read_bytes() == b"old content"
    assert names(tmp_path) == ["export.csv"]


def test_disk_full_while_writing_is_a_user_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    with pytest.raises(FileProblem) as info, atomic_output(target) as fh:
        fh.write(b"part")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(info.value) == (f"{target}: cannot write (No space left on device): the disk is full; nothing was "
                               "written. Free some space and try again")
    assert isinstance(info.value, files.DiskFull)
    assert info.value.file == str(target)
    assert isinstance(info.value, UserError)
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["brief.pdf"]


def _stale_partial(folder: Path, target: str, pid: int = 999_999) -> Path:
    """A temporary file as a killed writer leaves it: our name, last written before this process started."""
    left = folder / f".{target}.{files.PARTIAL_MARK}-{pid}-abc123_x.tmp"
    left.write_bytes(b"x" * 4096)
    old = files.PROCESS_START - 3600
    os.utime(left, (old, old))
    return left


def test_temp_files_have_a_recognisable_name_while_they_are_written(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    with atomic_output(target) as fh:
        fh.write(b"a")
        (tmp,) = [p for p in tmp_path.iterdir() if p.name != "export.csv"]
        assert tmp.name.startswith(f".export.csv.{files.PARTIAL_MARK}-{os.getpid()}-")
        assert files.is_partial(tmp.name)
    assert names(tmp_path) == ["export.csv"]


def test_a_temp_file_left_by_a_killed_writer_is_removed_by_the_next_write(tmp_path: Path) -> None:
    left = _stale_partial(tmp_path, "brief.pdf")
    journal = left.with_name(left.name + "-journal")  # a killed backup's SQLite journal goes too
    journal.write_bytes(b"j")
    os.utime(journal, (files.PROCESS_START - 60, files.PROCESS_START - 60))
    unrelated = tmp_path / ".brief.pdf.partial-notes.tmp"  # not our pattern: never touched
    unrelated.write_bytes(b"mine")
    os.utime(unrelated, (files.PROCESS_START - 3600, files.PROCESS_START - 3600))
    write_bytes_atomic(tmp_path / "other.csv", b"new")
    assert names(tmp_path) == sorted([".brief.pdf.partial-notes.tmp", "other.csv"])


def test_a_fresh_temp_file_is_kept_it_may_be_another_process_still_writing(tmp_path: Path) -> None:
    fresh = tmp_path / f".big.pdf.{files.PARTIAL_MARK}-{os.getpid()}-zz.tmp"
    fresh.write_bytes(b"being written")  # mtime now: after this process started
    assert files.remove_stale_partials(tmp_path) == []
    assert fresh.exists()


@posix_only
def test_an_old_temp_file_that_is_still_locked_is_kept(tmp_path: Path) -> None:
    import fcntl

    left = _stale_partial(tmp_path, "backup.db")
    fd = os.open(left, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a long write, begun before this process started, still going on
        assert files.remove_stale_partials(tmp_path) == []  # flock is per open file: this open conflicts too
        assert left.exists()
    finally:
        os.close(fd)
    assert files.remove_stale_partials(tmp_path) == [left]
    assert not left.exists()


def test_failed_rename_leaves_the_target_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "w.json"
    target.write_text("old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(FileProblem, match=r"w\.json: cannot write \(Permission denied\)"):
        write_bytes_atomic(target, b"new")
    assert target.read_text() == "old"
    assert names(tmp_path) == ["w.json"]


@posix_only
def test_new_file_is_0644_and_no_temp_file_is_left(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "claims.csv"
    write_bytes_atomic(target, b"a,b\r\n")
    assert target.read_bytes() == b"a,b\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert names(tmp_path) == ["claims.csv"]


@posix_only
def test_replaced_file_keeps_its_permissions(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "private.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_target_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(FileProblem) as info:
        write_text_atomic(folder, "x")
    assert str(info.value) == f"{folder}: cannot write: it is a folder"
    assert info.value.file == str(folder)
    assert names(tmp_path) == ["out"] and names(folder) == ["inside"]


@posix_only
def test_target_that_is_a_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not a regular file"):
        write_bytes_atomic(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_missing_folder_is_refused_unless_parents_is_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "out.json"
    with pytest.raises(FileProblem, match=r"the folder .*deeper does not exist"):
        write_text_atomic(target, "{}")
    assert not (tmp_path / "new").exists()
    write_text_atomic(target, "{}", parents=True)
    assert target.read_text() == "{}"


@posix_only
def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert names(tmp_path) == ["link.csv", "real.csv"]


def test_text_is_written_with_its_line_ends_as_given(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    write_text_atomic(target, "a = 1\nb = 'é'\r\n")
    assert target.read_bytes() == "a = 1\nb = 'é'\r\n".encode()
    with pytest.raises(FileProblem, match="has no ascii form"):
        write_text_atomic(target, "é", encoding="ascii")
    assert target.read_bytes() == "a = 1\nb = 'é'\r\n".encode()


def test_streaming_writers_zipfile_and_text_mode(tmp_path: Path) -> None:
    bundle = tmp_path / "b.zip"
    with atomic_output(bundle) as fh, zipfile.ZipFile(fh, "w") as zf:
        zf.writestr("a.txt", "hello")
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read("a.txt") == b"hello"
    text = tmp_path / "t.txt"
    with atomic_output(text, "w") as fh:
        fh.write("café\n")
    assert text.read_bytes() == "café\n".encode()
    assert names(tmp_path) == ["b.zip", "t.txt"]


def test_writer_that_closes_the_file_itself_still_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "c.pdf"
    with atomic_output(target) as fh:
        fh.write(b"%PDF-")
        fh.close()
    assert target.read_bytes() == b"%PDF-"
    assert names(tmp_path) == ["c.pdf"]


def test_only_write_modes_are_offered(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'wb' or 'w'"), atomic_output(tmp_path / "x", "ab"):
        pass
    assert names(tmp_path) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_written_bytes_read_back_unchanged(tmp_path: Path, data: bytes) -> None:
    target = tmp_path / "any.bin"
    write_bytes_atomic(target, data)
    assert read_bytes(target, max_bytes=4096, what="a test file") == data
    assert names(tmp_path) == ["any.bin"]


# --- reading ------------------------------------------------------------------------------------


def test_reading_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        read_bytes(tmp_path, max_bytes=100, what="a rubric file")
    assert str(info.value) == f"{tmp_path}: is a folder, not a file"
    assert info.value.file == str(tmp_path) and info.value.reason == "is a folder, not a file"


@posix_only
def test_reading_a_pipe_or_device_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(FileProblem, match="is not a regular file \\(a pipe, device or socket\\)") as info:
            read_bytes(path, max_bytes=100, what="an import file")
        assert info.value.file == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        read_text(tmp_path / "nope.toml", max_bytes=100, what="a rubric file")
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: no such file"


def test_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FileProblem) as info:
        read_bytes(big, max_bytes=100, what="an import file")
    assert str(info.value) == f"{big}: the file is 101 bytes; an import file may be at most 100 bytes"
    assert info.value.file == str(big)
    assert read_bytes(big, max_bytes=101, what="an import file") == b"x" * 101
    huge = tmp_path / "huge.vebundle"
    with huge.open("wb") as fh:
        fh.truncate(2 * 1024 * 1024)  # sparse: no 2 MB written
    with pytest.raises(FileProblem, match=r"the file is 2\.0 MB; a bundle may be at most 1\.0 MB"):
        check_input_file(huge, max_bytes=1024 * 1024, what="a bundle")


def test_check_input_file_gives_the_size_and_may_have_no_limit(tmp_path: Path) -> None:
    f = tmp_path / "db.sqlite"
    f.write_bytes(b"1234")
    assert check_input_file(f, max_bytes=None, what="a backup") == 4
    with pytest.raises(FileProblem, match="a backup may be at most 3 bytes"):
        check_input_file(f, max_bytes=3, what="a backup")


def test_invalid_utf8_names_the_line_and_byte(tmp_path: Path) -> None:
    bad = tmp_path / "r.toml"
    bad.write_bytes(b"id = 'x'\ntitle = 'Caf\xe9'\n")
    with pytest.raises(FileProblem) as info:
        read_text(bad, max_bytes=1000, what="a rubric file")
    assert str(info.value) == (f"{bad}, line 2: not UTF-8 text (byte 0xe9 at offset 21) "
                               "(as Windows-1252 it would read 'é'); save the file as UTF-8")
    assert info.value.file == str(bad) and info.value.line == 2


def test_utf16_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="UTF-16 text"):
        decode_text("a,b\n".encode("utf-16"), "x.csv")


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    f = tmp_path / "bom.csv"
    f.write_bytes(b"\xef\xbb\xbfvendor,text\n")
    assert read_text(f, max_bytes=100, what="a CSV") == "vendor,text\n"
    assert decode_text(b"plain", "p") == "plain"
