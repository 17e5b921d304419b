"""The e-mail backend of the integration tests' worker: Django's file backend, one
file per connection. Django names its files by the second and the backend's `id()`,
which two connections opened in the same second share when the first backend's
memory is reused: the batches of one drain then wrote into one file."""

from __future__ import annotations

import os
import uuid

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def _get_filename(self) -> str:
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{uuid.uuid4().hex}.log")
        return self._fname
