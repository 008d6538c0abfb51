import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingzhai.config.settings")
application = get_wsgi_application()


def _warm_up_screening() -> None:
    """Load the utterance screener (lexicons, jieba, OpenCC, the learned layer: about 2 s) in the background,
    so the first sentence typed after a server start is screened at full speed."""
    from qingzhai.compliance.monitor import default_screener

    default_screener().warm_up()


threading.Thread(target=_warm_up_screening, name="screening-warm-up", daemon=True).start()
