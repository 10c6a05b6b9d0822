"""Task arguments and results stay out of the logs."""

import logging

# Celery's loggers that put a task's arguments and result in their records.
TASK_LOGGERS = ("celery.app.trace", "celery.worker.strategy")
# The parts of those records that may hold personal data.
TASK_DATA = ("args", "kwargs", "return_value")


class HideTaskData(logging.Filter):
    """Keep task arguments and results out of the logs.

    They may be personal data, and Celery logs them twice: in the message of
    a task's success and in the record's ``data``, which the JSON formatter
    writes out.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for name in ("args", "data"):
            value = getattr(record, name, None)
            if isinstance(value, dict):
                hidden = {key: "[hidden]" for key in TASK_DATA if key in value}
                setattr(record, name, {**value, **hidden})
        return True


def hide_task_data() -> None:
    """Put the filter on each of Celery's task loggers."""
    for name in TASK_LOGGERS:
        logging.getLogger(name).addFilter(HideTaskData())
