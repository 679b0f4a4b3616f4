"""Byline's chat launcher: ``python app.py [--port N]`` (the same as ``byline chat``).

The chat itself lives in :mod:`assistant.ui.gradio_app`; ``build_ui``, ``start`` and
``launch`` are re-exported here for scripts that know them by this module.
"""

import argparse
import sys
from pathlib import Path

from assistant.ui.gradio_app import build_ui, launch, start  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    from assistant.errors import BylineError
    from assistant.offline import enable_offline_mode
    from assistant.settings import load_settings

    enable_offline_mode()
    parser = argparse.ArgumentParser(description="Byline chat (open it in a browser).")
    parser.add_argument("--port", type=int, default=None, help="port [env: BYLINE_PORT; 7860]")
    parser.add_argument("--host", default=None, help="interface [env: BYLINE_HOST; 127.0.0.1]")
    parser.add_argument("--data-dir", default=None, help="index folder [env: BYLINE_DATA_DIR]")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else None
    try:
        launch(load_settings(port=args.port, host=args.host, data_dir=data_dir))
    except BylineError as exc:
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
