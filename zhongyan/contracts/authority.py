"""The platform CA as the app uses it: where it lives, how it is unlocked, how signer keys are sealed.

The engines (`ca`, `signing`) take a directory and a passphrase; this module reads them from the
settings. In the embedded default a missing CONTRACTS_CA_PASSPHRASE is generated once into a
0600 file beside the CA directory; production refuses to start signing without it.
"""

import functools
import hashlib
import hmac
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from zhongyan.contracts.ca import (
    CertificateAuthority,
    SignerCredentials,
    load_or_create_ca,
    load_or_create_platform_signer,
    random_passphrase,
)

PASSPHRASE_FILENAME = "contracts-ca-passphrase"  # noqa: S105 - a file name, not a secret


def ca_directory() -> Path:
    return Path(settings.CONTRACTS_CA_DIR)


def _passphrase_file() -> Path:
    return ca_directory().parent / PASSPHRASE_FILENAME


def ca_passphrase() -> bytes:
    configured = getattr(settings, "CONTRACTS_CA_PASSPHRASE", "")
    if configured:
        return configured.encode()
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("CONTRACTS_CA_PASSPHRASE must be set when ZHONGYAN_ENV=production.")
    path = _passphrase_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker wrote it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(random_passphrase())
    return path.read_text().strip().encode()


@functools.lru_cache(maxsize=4)
def _authority(directory: str, passphrase: bytes) -> tuple[CertificateAuthority, SignerCredentials]:
    ca = load_or_create_ca(Path(directory), passphrase)
    return ca, load_or_create_platform_signer(ca, Path(directory), passphrase)


def authority() -> CertificateAuthority:
    return _authority(str(ca_directory()), ca_passphrase())[0]


def platform_signer() -> SignerCredentials:
    return _authority(str(ca_directory()), ca_passphrase())[1]


def trust_roots() -> tuple:  # type: ignore[type-arg]
    return authority().trust_roots


def signer_key_passphrase(key_id: str) -> bytes:
    """The passphrase sealing one signer's private key: HMAC of the certificate's key id under the
    CA passphrase. The database holds only the sealed key; unsealing needs the CA passphrase too."""
    return hmac.new(ca_passphrase(), f"zhongyan-signer-key:{key_id}".encode(), hashlib.sha256).hexdigest().encode()
