# lit configuration of ovcc's pass and tool tests: one folder per pass,
# RUN lines call ovcc-opt and FileCheck.
#   lit -sv test/lit --param ovcc_bin_dir=<build dir>   (or OVCC_BIN_DIR=<build dir>)
import os
import re

import lit.formats

config.name = "ovcc"
# RUN lines run in bash (external shell). lit >= 23 deprecates that and asks
# for force_execute_external; older lits do not know the keyword.
try:
    config.test_format = lit.formats.ShTest(execute_external=True, force_execute_external=True)
except TypeError:
    config.test_format = lit.formats.ShTest(True)
config.suffixes = [".ovir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))

repo_root = os.path.dirname(os.path.dirname(config.test_source_root))
bin_dir = lit_config.params.get("ovcc_bin_dir") or os.environ.get("OVCC_BIN_DIR")
if not bin_dir:
    bin_dir = os.path.join(repo_root, "build")
bin_dir = os.path.abspath(bin_dir)
ovcc_opt = os.path.join(bin_dir, "ovcc-opt")
if not os.path.exists(ovcc_opt):
    lit_config.fatal("ovcc-opt not found in %s (pass --param ovcc_bin_dir=<build dir>)" % bin_dir)
config.test_exec_root = os.path.join(bin_dir, "lit-output")

llvm_bin = lit_config.params.get("llvm_bin_dir", "/usr/lib/llvm-22/bin")
filecheck = os.path.join(llvm_bin, "FileCheck")
if not os.path.exists(filecheck):
    lit_config.fatal("FileCheck not found in %s (pass --param llvm_bin_dir=<dir>)" % llvm_bin)

# Tools: ovcc's build dir first, then LLVM's (FileCheck, not, count).
config.environment["PATH"] = os.pathsep.join([bin_dir, llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["LC_ALL"] = "C"

# Whole-word tool names only: 'ovcc-opt:' in a message pattern stays as is.
config.substitutions.append((r"(?<![\w/.-])ovcc-opt(?![\w:.-])", ovcc_opt))
config.substitutions.append((r"(?<![\w/.-])FileCheck(?![\w:.-])", filecheck))
config.substitutions.append(("%corpus", os.path.normpath(os.path.join(repo_root, "..", "shared", "corpus", "ir"))))
