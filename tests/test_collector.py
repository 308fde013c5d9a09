"""The garbage collector's freezes: once per stage and process, so that a process building again and
again (the web page's server) hides no more objects from the collector with every build."""

import gc
import multiprocessing
import subprocess
import sys

import pytest

from conftest import copy_project
from zinepress import collector
from zinepress.batch import Job, run_batch
from zinepress.edition import Selection
from zinepress.progress import Progress


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    collector._frozen.clear()
    yield
    gc.unfreeze()
    collector._frozen.clear()


def test_a_stage_is_frozen_once_per_process():
    kept = [object() for _ in range(1000)]
    collector.freeze_once("imports")
    frozen = gc.get_freeze_count()
    assert frozen >= len(kept)
    more = [[] for _ in range(1000)]
    collector.freeze_once("imports")
    assert gc.get_freeze_count() == frozen            # the same stage again: nothing more hidden
    collector.freeze_once("edition")
    assert gc.get_freeze_count() >= frozen + len(more)


def freeze_in_child(results) -> None:
    before = gc.get_freeze_count()
    collector.freeze_once("imports")
    results.put(gc.get_freeze_count() > before)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_worker_freezes_its_own_stages():
    collector.freeze_once("imports")
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=freeze_in_child, args=(results,))
    child.start()
    assert results.get(timeout=30) is True
    child.join(timeout=30)


def test_building_again_in_one_process_hides_nothing_more(tmp_path):
    job = Job(Selection(region="US"), {}, ("card",), force=True)
    counts = []
    for _ in range(3):
        [outcome] = run_batch([job], tmp_path / "out", 1, Progress.for_terminal(True))
        assert outcome.error is None
        counts.append(gc.get_freeze_count())
    assert counts[0] > 0 and counts[2] <= counts[1] <= counts[0]   # frozen objects may still be freed


def test_a_build_ends_without_finalizer_errors(tmp_path):
    """Frozen objects are thawed at exit: WeasyPrint's font configuration, in a reference cycle, is then
    finalized before the modules its finalizer needs are torn down. (A first build in a fresh copy of the
    project showed it; one in this checkout often does not.)"""
    project = copy_project(tmp_path / "project")
    result = subprocess.run([sys.executable, "-c", "import sys; from zinepress.cli import main; "
                             "sys.exit(main(sys.argv[1:]))", "build", "--format", "card", "--out", "out"],
                            cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_paused_turns_the_collector_off_and_back_as_it_was():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()   # the inner pause does not turn it on inside the outer one
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("an import that fails")
    assert gc.isenabled()


def test_a_build_imports_weasyprint_with_the_collector_paused(tmp_path):
    """A real build (the command's own path): no collection starts while WeasyPrint is being imported
    (about 200 did before the imports were paused). importlib marks a module being imported with
    `__spec__._initializing`."""
    printed = card_build("during = []\n"
                         "def importing():\n"
                         "    module = sys.modules.get('weasyprint')\n"
                         "    return module is not None and getattr(module.__spec__, '_initializing', False)\n"
                         "gc.callbacks.append(lambda phase, info: during.append(1) if phase == 'start' and importing() "
                         "else None)\n", "'weasyprint' in sys.modules, len(during)", tmp_path)
    assert printed == ["0", "True", "0"]


def test_the_build_is_frozen_before_the_collector_is_back(tmp_path):
    """Frozen while the collector is still paused: else the first allocation after the pause sets off a
    collection of everything just imported (0.02 s, before any worker can start)."""
    printed = card_build("import zinepress.collector as collector\n"
                         "frozen = []\n"
                         "freeze = collector.freeze_once\n"
                         "def noted(stage):\n"
                         "    frozen.append(f'{stage}:{gc.isenabled()}')\n"
                         "    freeze(stage)\n"
                         "collector.freeze_once = noted\n", "*frozen", tmp_path)
    assert printed[:2] == ["0", "imports:False"]


def test_a_build_collects_its_young_objects_rarely(tmp_path):
    """Laying out a card sets off one collection (65 at Python's default threshold of 700)."""
    status, collections, threshold = card_build("count = []\n"
                                                "gc.callbacks.append(lambda phase, info: count.append(1)\n"
                                                "    if phase == 'start' and 'zinepress.build' in sys.modules else None)\n",
                                                "len(count), gc.get_threshold()[0]", tmp_path)
    assert status == "0" and int(collections) < 10 and int(threshold) > 700


def test_the_building_threshold_leaves_a_switched_off_collector_off():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        collector.for_building()
        assert gc.get_threshold()[0] == 0
        gc.set_threshold(700, *before[1:])
        collector.for_building()
        assert gc.get_threshold()[0] == collector.BUILDING_THRESHOLD
    finally:
        gc.set_threshold(*before)


def card_build(before: str, shown: str, tmp_path) -> list[str]:
    """What a card build, run as the command runs it (--jobs 1) after the code `before`, ends by printing:
    its status, then the values `shown` (Python expressions)."""
    code = (f"import gc, sys\n{before}"
            "from zinepress.cli import main\n"
            "status = main(['build', '--format', 'card', '--out', sys.argv[1], '--jobs', '1', '--quiet'])\n"
            f"print(status, {shown})")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], capture_output=True, text=True,
                            timeout=600, cwd=collector.__file__.rsplit("/zinepress/", 1)[0])
    assert result.stdout.strip(), result.stderr
    return result.stdout.splitlines()[-1].split()
