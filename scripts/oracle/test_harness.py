"""The oracle harness's own logic, on C++ written here in upstream's style.

CI has no WSL tree, so the oracles themselves are skipped there; these tests
keep what decides drift honest: finding a function's text, naming what
changed, and saying plainly that the oracles were skipped.

    python3 -m unittest discover -s scripts/oracle -p 'test_*.py'
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import conf  # noqa: E402

SOURCE = r'''
// A comment with a brace { and Helper(1) in it.
static int Helper(int x)
{
    const char* text = "}{ Helper(2) {";
    return x + 1;
}

int Helper(int x, int y);

template <typename T>
inline bool Parse(const T* value, bool strict = false)
{
    return Helper(value[0]) > 0;
}

void Session::_Write(
    _In_ const std::string_view& Template,
    int flags)
try
{
    auto raw = R"(not { a body)";
    if (Template.empty())
    {
        return;
    }
}
CATCH_LOG();

int Helper(int x, int y)
{
    return x + y;
}
'''


def load_harness():
    loader = importlib.machinery.SourceFileLoader("wsl_oracle", str(HERE.parent / "wsl-oracle"))
    spec = importlib.util.spec_from_loader("wsl_oracle", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class FunctionText(unittest.TestCase):
    def test_a_free_function_with_braces_in_comments_and_strings(self):
        text = common.function_text(SOURCE, "Helper", "x.cpp")
        self.assertTrue(text.startswith("static int Helper(int x)\n{"), text)
        self.assertIn('"}{ Helper(2) {"', text)
        # The overload defined further down is part of the same function.
        self.assertTrue(text.endswith("return x + y;\n}"), text)
        self.assertNotIn("int Helper(int x, int y);", text)

    def test_a_template_keeps_its_template_line(self):
        text = common.function_text(SOURCE, "Parse", "x.cpp")
        self.assertTrue(text.startswith("template <typename T>\ninline bool Parse("), text)

    def test_a_function_try_block_keeps_its_handler(self):
        text = common.function_text(SOURCE, "Session::_Write", "x.cpp")
        self.assertTrue(text.startswith("void Session::_Write(\n"), text)
        self.assertTrue(text.endswith("}\nCATCH_LOG();"), text)
        self.assertIn('R"(not { a body)"', text)

    def test_a_missing_function_says_what_to_do(self):
        with self.assertRaisesRegex(common.OracleError, r"x\.cpp: no definition of `Gone`; upstream renamed or moved it"):
            common.function_text(SOURCE, "Gone", "x.cpp")

    def test_every_function_of_a_file_by_name(self):
        self.assertEqual(list(common.function_fingerprints(SOURCE)), ["Helper", "Parse", "Session::_Write"])


class Drift(unittest.TestCase):
    def setUp(self):
        self.harness = load_harness()
        self.tmp = tempfile.TemporaryDirectory()
        self.tree = pathlib.Path(self.tmp.name) / "tree"
        (self.tree / "src").mkdir(parents=True)
        (self.tree / "src/a.cpp").write_text(SOURCE)
        self.harness.PINNED = pathlib.Path(self.tmp.name) / "pinned.json"
        self.oracle = type("Oracle", (), {"UPSTREAM": [("src/a.cpp", None), ("src/a.cpp", "Parse")]})
        self.ctx = common.Context(wsl_src=self.tree, work=pathlib.Path(self.tmp.name), wslconst=pathlib.Path("x"), log=lambda m: None)
        self.harness.load_oracles = lambda names: {"fake": self.oracle}

    def tearDown(self):
        self.tmp.cleanup()

    def test_pinned_texts_agree_and_a_changed_line_is_named(self):
        self.harness.pin(self.ctx, "0123456789abcdef")
        self.assertEqual(self.harness.drift(self.ctx, {"fake": self.oracle}), [])
        (self.tree / "src/a.cpp").write_text(SOURCE.replace("return x + y;", "return x - y;"))
        problems = self.harness.drift(self.ctx, {"fake": self.oracle})
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("behaviour drift: src/a.cpp: function `Helper` changed since microsoft/WSL@01234567", problems[0])

    def test_a_pinned_function_changed_alone(self):
        self.harness.pin(self.ctx, "0123456789abcdef")
        (self.tree / "src/a.cpp").write_text(SOURCE.replace("> 0;", ">= 0;"))
        problems = self.harness.drift(self.ctx, {"fake": self.oracle})
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("src/a.cpp: function `Parse` changed", problems[0])
        self.assertIn("behaviour drift: `Parse` in src/a.cpp changed", problems[1])

    def test_a_change_outside_functions(self):
        self.harness.pin(self.ctx, "0123456789abcdef")
        (self.tree / "src/a.cpp").write_text("#include <new>\n" + SOURCE)
        problems = self.harness.drift(self.ctx, {"fake": self.oracle})
        self.assertIn("outside its functions", problems[0])


class Skipped(unittest.TestCase):
    def run_harness(self, *args):
        env = {k: v for k, v in os.environ.items() if k != "WSLCONST_WSL_SRC"}
        return subprocess.run([sys.executable, str(HERE.parent / "wsl-oracle"), "run", *args], env=env, capture_output=True, text=True)

    def test_without_a_tree_it_says_it_skipped(self):
        done = self.run_harness()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("wsl-oracle: skipped: WSLCONST_WSL_SRC is not set", done.stdout)

    def test_require_makes_a_skip_fail(self):
        self.assertEqual(self.run_harness("--require").returncode, 3)


class Localization(unittest.TestCase):
    def test_one_method_per_message_used(self):
        header = conf.localization_header(["Localization::MessageConfigInvalidKey(filePath, line)",
                                           "wsl::shared::Localization::MessageConfigExpected(\"'='\", filePath, line)"])
        self.assertIn("static std::string MessageConfigExpected(const A&... a)", header)
        self.assertIn("static std::string MessageConfigInvalidKey(const A&... a)", header)
        self.assertEqual(header.count("static std::string Message"), 2)


class KnownDifferences(unittest.TestCase):
    def test_each_has_a_reason(self):
        known = json.loads((HERE / "known-differences.json").read_text())
        for oracle, cases in known.items():
            for case_id, reason in cases.items():
                self.assertTrue(isinstance(reason, str) and len(reason) > 20, f"{oracle}: {case_id}")


if __name__ == "__main__":
    unittest.main()
