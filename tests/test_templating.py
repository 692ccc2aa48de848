"""templating.py: page markup comes from autoescaped Jinja2 templates a project can override;
the only raw insert is Markdown cleaned by nh3."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Catalog

from carebridge.site.localize import localize
from carebridge.site.render import PageContext, render_protocol
from carebridge.site.templating import environment, render, sanitized
from carebridge.site.words import Words
from carebridge.source.library import Project, load_library


def _page(tree: Path, env: jinja2.Environment | None = None, lang: str = "en") -> str:
    loaded, problems = load_library(Project.at(tree))
    assert not problems
    item = loaded[0]
    catalog = None if lang == "en" else Catalog(locale="zh_CN")
    loc = localize(item, catalog, lang)
    return render_protocol(item, loc, Words(catalog, lang), PageContext(lang, None if lang == "en" else "zh_CN",
                                                                        env=env))


def test_a_project_overrides_one_partial_and_keeps_the_rest(project_tree: Path) -> None:
    override = project_tree / "overrides" / "carebridge" / "partials"
    override.mkdir(parents=True)
    (override / "history.html").write_text('<p class="local-history">{{ protocol.history|length }} versions</p>',
                                           encoding="utf-8")
    page = _page(project_tree, environment(project_tree / "overrides"))
    assert '<p class="local-history">' in page
    assert 'class="cb-history"' not in page
    assert 'class="cb-doses"' in page  # every other partial still comes from the package


def test_without_overrides_the_package_templates_are_used(project_tree: Path) -> None:
    page = _page(project_tree, environment(project_tree / "overrides"))
    assert 'class="cb-history"' in page


def test_every_value_is_escaped_by_the_templates() -> None:
    env = environment()
    template = env.from_string("<p>{{ value }}</p><p title=\"{{ value }}\"></p>")
    out = template.render(value='<script>alert(1)</script>" onmouseover="x')
    assert "<script>" not in out and '" onmouseover' not in out


def test_the_one_raw_insert_is_cleaned_markdown() -> None:
    html = str(sanitized("**Give** [x](javascript:alert(1)) <img src=x onerror=alert(1)>"))
    assert "<strong>Give</strong>" in html
    assert "javascript" not in html and "onerror" not in html and "<img" not in html


def test_a_template_asking_for_an_undefined_value_fails_loudly() -> None:
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        render(env, "partials/history.html")  # no protocol given


def test_markdown_attribute_lists_are_not_template_comments() -> None:
    # "{#" opens a Markdown attr list ({#step-id}); template comments use "{##".
    out = environment().from_string("## Steps {#steps}\n{## a comment ##}x").render()
    assert out == "## Steps {#steps}\nx"


@pytest.mark.parametrize("text", ["Assess the patient's own risk", 'The "one" #2 <b>bold</b> & *not* em_ph [x](y) \\ back',
                                  "Step 1. 患者的风险 (≥ 65 years) — 3 × 2"])
def test_a_heading_reads_as_its_text_after_markdown(text: str) -> None:
    import html

    import markdown

    from carebridge.site.templating import heading_text

    out = markdown.markdown("## " + heading_text(text))
    assert out.startswith("<h2>") and out.endswith("</h2>")
    assert html.unescape(out[4:-5]) == text  # every character shows as itself, no entity spelled out


def test_compiled_theme_templates_are_shared_between_builds_and_an_edit_recompiles(tmp_path: Path) -> None:
    from carebridge.site.templating import SharedBytecode

    shared = SharedBytecode()
    (tmp_path / "page.html").write_text("<p>{{ x }}</p>", encoding="utf-8")

    def build_env(**settings: object) -> jinja2.Environment:  # what MkDocs makes for every build
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **settings)  # type: ignore[arg-type]
        env.bytecode_cache = shared
        return env

    assert build_env().get_template("page.html").render(x="<b>") == "<p><b></p>"
    assert len(shared.code) == 1
    assert build_env().get_template("page.html").render(x="<b>") == "<p><b></p>"
    assert len(shared.code) == 1  # the second build loaded the first one's code
    # Settings that change the compiled code compile their own.
    assert build_env(autoescape=True).get_template("page.html").render(x="<b>") == "<p>&lt;b&gt;</p>"
    assert build_env(variable_start_string="[[", variable_end_string="]]").get_template("page.html").render(x=1) \
        == "<p>{{ x }}</p>"
    assert len(shared.code) == 3
    (tmp_path / "page.html").write_text("<div>{{ x }}</div>", encoding="utf-8")
    assert build_env().get_template("page.html").render(x=1) == "<div>1</div>"  # the edit is seen
