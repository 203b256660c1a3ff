"""`papiers`: the command line. `papiers scan PHOTO...` reads documents with the offline engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from extraction.errors import ExtractionError
from extraction.models import DocumentType
from papiers.i18n import LANGUAGES, N_, system_language, translate

TYPE_ALIASES = {
    "cni": DocumentType.FR_IDENTITY_CARD,
    "id": DocumentType.FR_IDENTITY_CARD,
    "passeport": DocumentType.PASSPORT,
    "carte-grise": DocumentType.FR_VEHICLE_REGISTRATION,
    "tn": DocumentType.TN_VEHICLE_REGISTRATION,
    "licence": DocumentType.FFT_LICENCE,
}


def _document_type(text: str) -> DocumentType:
    key = text.strip().lower()
    if key in TYPE_ALIASES:
        return TYPE_ALIASES[key]
    try:
        return DocumentType(key)
    except ValueError:
        names = ", ".join([t.value for t in DocumentType if t is not DocumentType.UNKNOWN])
        raise argparse.ArgumentTypeError(f"unknown type {text!r} (one of: {names})") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papiers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    scan = commands.add_parser("scan", help="read documents from photos, scans or PDFs")
    scan.add_argument("photos", nargs="+", type=Path, help="image or PDF files")
    scan.add_argument("--lang", choices=LANGUAGES, default=None, help="fr or en (default: locale)")
    scan.add_argument("--json", action="store_true", help="print scan-result JSON lines")
    scan.add_argument("--type", type=_document_type, default=None, help="skip type detection")
    scan.add_argument(
        "--provider",
        default=None,
        help="reading engines in order, e.g. gemini,mistral,local (default: EXTRACTION_PROVIDERS)",
    )
    scan.set_defaults(handler=run_scan)

    for name, purpose in SERVICES.items():
        service = commands.add_parser(name, help=purpose)
        service.add_argument(
            "--reader",
            default=None,
            help="module:factory(settings) -> reader, instead of the pipeline (benchmarks)",
        )
        if name == "worker":
            service.add_argument(
                "--check", action="store_true", help="exit 0 when a worker is alive, else 1"
            )
        service.set_defaults(handler=run_service)
    return parser


SERVICES = {
    "bot": "run the Telegram bot (long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set)",
    "worker": "run a scan worker (arq, on Redis)",
    "run": "run the bot and a worker in one process (one small machine)",
}


def run_service(args: argparse.Namespace) -> int:
    """`papiers bot`, `papiers worker`, `papiers run` (see bot/runner.py)."""
    from bot.runner import run_service as run

    return run(args.command, reader=args.reader, check=getattr(args, "check", False))


def run_scan(args: argparse.Namespace) -> int:
    """Scan each photo in turn; refused files are explained on stderr and make the exit code 1."""
    import asyncio

    return asyncio.run(_scan_all(args))


async def _scan_all(args: argparse.Namespace) -> int:
    # The same path as the worker: the provider chain from settings (or --provider), checked by
    # the offline engine; one chain for every photo so HTTP connections are reused.
    from extraction.pipeline import InputFile, scan
    from extraction.providers import chain_from_settings
    from papiers.settings import get_settings
    from papiers.summary import format_summary

    language = args.lang or system_language()
    names = args.provider.split(",") if args.provider else None
    try:
        chain = chain_from_settings(get_settings(), names)
    except ExtractionError as error:
        print(error.message(language), file=sys.stderr)
        advice = error.advice(language)
        if advice:
            print(f"  {advice}", file=sys.stderr)
        return 2
    failures = 0
    try:
        for path in args.photos:
            try:
                data = path.read_bytes()
            except OSError as error:
                failures += 1
                message = translate(
                    language,
                    N_("Cannot read {path}: {reason}"),
                    path=str(path),
                    reason=error.strerror or str(error),
                )
                print(message, file=sys.stderr)
                continue
            try:
                result = await scan(
                    [InputFile(data, filename=path.name)],
                    document_type=args.type,
                    language=language,
                    providers=chain,
                )
            except ExtractionError as error:
                failures += 1
                advice = error.advice(language)
                print(f"{path}: {error.message(language)}", file=sys.stderr)
                if advice:
                    print(f"  {advice}", file=sys.stderr)
                continue
            if args.json:
                print(result.to_json(), flush=True)
            else:
                print(f"── {path}  ({result.engine.duration_ms} ms)")
                print(format_summary(result, language))
                print(flush=True)
    finally:
        await chain.aclose()
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = args.handler
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
