"""Builds tally's compiled module with the project's own CMake and puts it in the wheel.

The extension is not compiled by setuptools: it is the CMake target `tally_python`, so that the
module is built by the same toolchain, flags and dependencies as the command line. The build
directory is $TALLY_BUILD_DIR if set (a configured CMake build, e.g. build/release), otherwise
<repository>/build/release, configured with `cmake --preset release` when it is missing.
"""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("TALLY_BUILD_DIR") or os.path.join(ROOT, "build", "release")
        if not os.path.isabs(build_dir):
            build_dir = os.path.join(ROOT, build_dir)
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "tally_python"], cwd=ROOT,
                       check=True)
        built = glob.glob(os.path.join(build_dir, "python", "tally", "_core*.so"))
        if len(built) != 1:
            sys.exit("tally: expected one _core*.so in " + build_dir + "/python/tally, found " +
                     str(len(built)))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(ext_modules=[Extension("tally._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
