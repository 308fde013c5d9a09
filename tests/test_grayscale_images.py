"""A picture in a group's own content: converted to gray in a grayscale build (and to CMYK in a PDF/X
build) instead of failing the build, with each colour turned into the gray of its brightness."""

import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import CONTENT, build_here, run_cli

RED, BLUE = (230, 20, 20), (20, 40, 220)
SIZE = (48, 24)   # left half red, right half blue
MODES = {"/DeviceGray": "L", "/DeviceCMYK": "CMYK"}   # the samples as stored (the alpha is a separate mask)


def luma(rgb: tuple[int, int, int]) -> float:
    """How bright a colour reads (ITU-R BT.601): what a gray copy of it should keep."""
    red, green, blue = rgb
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.fixture(scope="module")
def zine_with_picture(tmp_path_factory) -> Path:
    """A copy of the zine with a colour PNG (with an alpha channel) after its first section heading."""
    zine = tmp_path_factory.mktemp("content") / "zine"
    shutil.copytree(CONTENT, zine)
    picture = Image.new("RGBA", SIZE, RED + (255,))
    picture.paste(BLUE + (255,), (SIZE[0] // 2, 0, SIZE[0], SIZE[1]))
    picture.save(zine / "pattern.png")
    text = (zine / "en.md").read_text(encoding="utf-8")
    heading_end = text.index("\n", text.index("\n## ") + 1)
    text = text[:heading_end] + "\n\n![a red and blue test pattern](pattern.png)\n" + text[heading_end:]
    (zine / "en.md").write_text(text, encoding="utf-8")
    return zine


def build(zine: Path, out: Path, *options: str) -> Path:
    return build_here(out, "--content", str(zine), "--format", "booklet", *options)


@pytest.fixture(scope="module")
def gray(zine_with_picture, tmp_path_factory) -> Path:
    return build(zine_with_picture, tmp_path_factory.mktemp("gray"), "--grayscale")


def pictures(path: Path) -> list[tuple[str, Image.Image]]:
    """(colour space, pixels) of every image of the test pattern's size in the PDF."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and \
                    (int(obj.Width), int(obj.Height)) == SIZE and "/SMask" in obj:
                mode = MODES.get(str(obj.ColorSpace), "RGB")
                found.append((str(obj.ColorSpace), Image.frombytes(mode, SIZE, obj.read_bytes())))
    return found


@pytest.mark.parametrize("name", ["booklet.pdf", "booklet-pages.pdf"])
def test_grayscale_build_turns_the_picture_gray(gray, name):
    found = pictures(gray / name)
    assert found, "the picture is not in the PDF"
    for space, picture in found:
        assert space == "/DeviceGray" and picture.mode == "L"
        left, right = picture.getpixel((2, SIZE[1] // 2)), picture.getpixel((SIZE[0] - 3, SIZE[1] // 2))
        assert left == pytest.approx(luma(RED), abs=1.5) and right == pytest.approx(luma(BLUE), abs=1.5)


def test_the_grayscale_build_passes_preflight_again(gray):
    result = run_cli("preflight", str(gray))
    assert result.returncode == 0, result.stdout
    assert "grayscale" in result.stdout and "FAIL" not in result.stdout


def test_a_colour_build_keeps_the_picture_in_colour(zine_with_picture, tmp_path):
    found = pictures(build(zine_with_picture, tmp_path) / "booklet.pdf")
    assert found and all(space == "/DeviceRGB" for space, _ in found)


def test_a_pdfx_build_turns_the_picture_cmyk(zine_with_picture, tmp_path):
    found = pictures(build(zine_with_picture, tmp_path, "--pdfx") / "booklet.pdf")
    assert found
    for space, picture in found:
        assert space == "/DeviceCMYK" and picture.mode == "CMYK"
        cyan, magenta, yellow, _ = picture.getpixel((2, SIZE[1] // 2))   # red: magenta and yellow ink
        assert magenta > 150 and yellow > 150 and cyan < 60, (cyan, magenta, yellow)
