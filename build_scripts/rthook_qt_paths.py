"""PyInstaller runtime hook of CRS Bedside, in place of PyInstaller's own ``pyi_rth_pyside6``.

PyInstaller's hook imports PySide6.QtCore when the bundle starts, so even ``crs-bedside grade`` would load Qt.
This one only points Qt at the bundled plugins, and relocates Qt (the embedded qt.conf, PyInstaller's own helper)
at the moment PySide6.QtCore is first imported: the headless commands start without loading Qt at all, as they do
from source (tests/test_layers.py). QML, QtNetwork and the OpenSSL search paths of the original hook are not
needed: the spec leaves those parts of Qt out.
"""


def _install() -> None:
    import importlib.util
    import os
    import sys

    if sys.platform.startswith("win"):
        qt_dir = os.path.join(sys._MEIPASS, "PySide6")
    else:
        qt_dir = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")

    class RelocateQtOnFirstImport:
        """Meta path finder: lets PySide6.QtCore load normally, then registers the bundle's qt.conf."""

        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def load_then_relocate(module):
                load(module)
                from _pyi_rth_utils import qt

                qt.create_embedded_qt_conf("PySide6", qt_dir)

            spec.loader.exec_module = load_then_relocate
            return spec

    sys.meta_path.insert(0, RelocateQtOnFirstImport())


_install()
del _install
