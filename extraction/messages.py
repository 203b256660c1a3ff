"""The one place that maps finding codes to user messages (English msgids, translated via gettext).

Each area keeps its own table below; codes are stable (they are part of the JSON contract).
A quality or intake entry carries the advice an agent needs to retake the photo.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.findings import Finding
from extraction.models import QualityIssue, ScanWarning
from papiers.i18n import N_, translate


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    advice: str | None = None


# --- intake: files that cannot be read at all (extraction/intake.py) ---------------------------
INTAKE: dict[str, Message] = {
    "file_empty": Message(
        N_("The file is empty (0 bytes)."),
        N_("Send the photo again; if it keeps failing, take a new photo with the phone's camera."),
    ),
    "file_too_large": Message(
        N_("The file is too large ({size_mb} MB; the limit is {max_mb} MB)."),
        N_("Send it as a photo rather than as a file, or reduce its size, then try again."),
    ),
    "not_an_image": Message(
        N_("This file is not a photo or a PDF (detected format: {kind})."),
        N_("Send a photo of the document (JPEG, PNG, HEIC, WebP, TIFF) or a PDF."),
    ),
    "image_corrupt": Message(
        N_("This {format} image is damaged or incomplete and cannot be opened."),
        N_(
            "The file may have been cut off during the transfer: send it again, or take a "
            "new photo."
        ),
    ),
    "decompression_bomb": Message(
        N_(
            "The image is far too large to process ({megapixels} megapixels; the limit is "
            "{max_megapixels})."
        ),
        N_("Send a normal photo taken with a phone camera."),
    ),
    "image_too_small": Message(
        N_(
            "The image is too small to read a document ({width}×{height} pixels; at least "
            "{min_side} pixels are needed on the shorter side)."
        ),
        N_(
            "Take the photo with the phone's camera and send it at its original size, not a "
            "thumbnail or a cropped screenshot."
        ),
    ),
    "pdf_unreadable": Message(
        N_("This PDF cannot be read: it is protected by a password, damaged or has no pages."),
        N_("Export the PDF again without a password, or send a photo of the document instead."),
    ),
}


# --- quality gate: photos that can be read but badly (extraction/quality.py) -------------------
QUALITY: dict[str, Message] = {
    "empty_frame": Message(
        N_("The photo is almost uniform: no document can be seen."),
        N_(
            "Point the camera at the document, check that nothing covers the lens, and take "
            "the photo again."
        ),
    ),
    "blurry": Message(
        N_("The photo is blurry."),
        N_(
            "Hold the phone steady, tap the document on the screen to focus, and take the "
            "photo again in good light."
        ),
    ),
    "too_dark": Message(
        N_("The photo is too dark."),
        N_(
            "Move to a brighter place or turn on a light (avoid the flash, which causes "
            "reflections), then take the photo again."
        ),
    ),
    "overexposed": Message(
        N_("The photo is overexposed: it is so bright that details are washed out."),
        N_("Move out of direct sunlight or away from the lamp, then take the photo again."),
    ),
    "glare": Message(
        N_("A reflection covers part of the document."),
        N_(
            "Tilt the phone or the document slightly so that the light does not reflect on "
            "it, and turn off the flash."
        ),
    ),
    "document_too_small": Message(
        N_("The document is too small in the photo."),
        N_(
            "Come closer so that the document fills most of the photo, keeping its four "
            "corners visible."
        ),
    ),
    "document_not_found": Message(
        N_("The edges of the document could not be found in the photo."),
        N_(
            "Place the document on a plain surface of a contrasting colour, with its four "
            "corners visible, and take the photo from above."
        ),
    ),
    "screenshot": Message(
        N_("This looks like a photo of a screen or a screenshot, not of the paper document."),
        N_("Photograph the paper document itself, not a screen."),
    ),
}


# --- preprocessing and reading (extraction/preprocess.py, extraction/ocr.py, pipeline) --------
READING: dict[str, Message] = {
    "no_text_found": Message(
        N_("No text could be read on the photo."),
        N_(
            "Take the photo again from closer, in good light, with the document flat, in focus "
            "and filling most of the frame."
        ),
    ),
}


# --- document type detection (extraction/classify.py) ------------------------------------------
DETECTION: dict[str, Message] = {
    "unknown_document": Message(
        N_("No known document was found in the photo."),
        N_(
            "Send a photo of a French or Tunisian registration certificate, a French identity"
            " card, a passport or an FFT licence, the whole document in the frame."
        ),
    ),
    "ambiguous_document": Message(
        N_("The type of document could not be told for sure."),
        N_("Photograph the whole document with its title, or choose the document type."),
    ),
}


# --- MRZ and identity documents (extraction/mrz.py, documents/fr_identity_card.py, passport.py)
IDENTITY: dict[str, Message] = {
    "mrz_not_found": Message(
        N_("No machine-readable zone (MRZ) was found on the document."),
        N_("Photograph the whole document, including the lines of characters at the bottom."),
    ),
    "mrz_check_failed": Message(
        N_("The MRZ check digit of {check} does not match: the zone is misread or altered.")
    ),
    "mrz_printed_mismatch": Message(N_("The printed zone and the MRZ disagree on {field}.")),
    "card_number_issue_mismatch": Message(
        N_("The card number {number} does not begin with the issue year and month {month}.")
    ),
    "mrz_wrong_document": Message(N_("The MRZ belongs to another kind of document ({code}).")),
    "validity_period_mismatch": Message(
        N_("The validity period from {issue} to {expiry} does not match this card model.")
    ),
    "accent_doubtful": Message(N_("The accents of this value may have been lost in reading.")),
    "document_expired_extended": Message(
        N_(
            "The document expired on {date}: cards issued to adults from 2004 to 2013 are valid "
            "five years beyond their printed date ({printed})."
        )
    ),
    "validity_extended": Message(
        N_(
            "The printed expiry date has passed, but the card stays valid until {date}: cards "
            "issued to adults from 2004 to 2013 are valid five years beyond their printed date."
        )
    ),
}


# --- vehicles and licences (documents/fr_vehicle_registration.py, tn_…, fft_licence.py) --------
VEHICLE: dict[str, Message] = {
    "vin_check_digit": Message(
        N_(
            "The VIN check digit (position 9) does not match: compare the VIN {value} with "
            "the one on the vehicle."
        )
    ),
    "vin_format": Message(N_("The VIN {value} is not 17 characters without I, O and Q.")),
    "plate_format_unknown": Message(N_("The plate number {value} has no known format.")),
    "plate_letters_not_issued": Message(
        N_("The plate number {value} contains letters that are never issued (I, O, U).")
    ),
    "plate_series_not_issued": Message(
        N_("The plate number {value} uses a series that is never issued.")
    ),
    "plate_provisional": Message(
        N_("The plate number {value} is a provisional (WW) registration.")
    ),
    "mass_above_maximum": Message(
        N_(
            "The permissible mass in service F.2 ({service} kg) exceeds the maximum laden "
            "mass F.1 ({maximum} kg)."
        )
    ),
    "registration_after_certificate": Message(
        N_(
            "The first registration date B ({first}) is after the certificate date I "
            "({certificate})."
        )
    ),
    "code_unknown": Message(N_("{value} is not on the official code list for {field}.")),
    "technical_inspection_overdue": Message(
        N_("The technical inspection date ({date}) has passed.")
    ),
    "siv_zone_mismatch": Message(
        N_(
            "The coupon's machine-readable zone and the printed text disagree on {field}: "
            "the zone's checked value was kept."
        )
    ),
    "siv_zone_check_failed": Message(
        N_(
            "A check digit of the coupon's machine-readable zone failed for {field}: that "
            "value was read from the printed text."
        )
    ),
    "value_out_of_range": Message(
        N_("The {field} value {value} lies outside the plausible range ({low} to {high}).")
    ),
    "barcode_mismatch": Message(
        N_("The QR code and the printed text disagree on {field}: the QR code's value was kept.")
    ),
    "barcode_unreadable": Message(
        N_("The card's QR code could not be decoded: the printed fields were read instead.")
    ),
    "ranking_unknown": Message(N_("{value} is not a ranking of the FFT ladder.")),
    "licence_season_over": Message(N_("The licence is for the {season} season, which is over.")),
    "empty_weight_above_gross": Message(
        N_("The empty weight ({empty} kg) exceeds the gross weight ({gross} kg).")
    ),
}


# --- AI providers (extraction/providers/) -------------------------------------------------------
PROVIDERS: dict[str, Message] = {
    "provider_unavailable": Message(
        N_("{provider} could not be reached; the next reading engine was used.")
    ),
    "provider_refused": Message(N_("{provider} refused to read this photo.")),
    "provider_bad_answer": Message(N_("{provider} gave an unusable answer; it was ignored.")),
    "providers_local_fallback": Message(
        N_("The AI reading was unavailable: the offline engine read this document.")
    ),
    "provider_wrong_type": Message(
        N_("{provider} gave a value of the wrong kind for this field; it was rejected.")
    ),
    "provider_unexpected_keys": Message(
        N_("{provider} added {count} unexpected entries to its answer; they were ignored.")
    ),
    "provider_contradicts_mrz": Message(
        N_(
            "{provider} read this field differently from the machine-readable zone; "
            "the checked value was kept."
        )
    ),
    "providers_disagree": Message(N_("Two AI providers read this field differently: check it.")),
    "provider_type_rejected": Message(
        N_("The AI named a document type that the photo contradicts; it was ignored.")
    ),
    "providers_failed": Message(
        N_("No reading engine could read the document right now ({providers})."),
        N_("Send the photo again in a few minutes."),
    ),
    "provider_unknown": Message(
        N_("Unknown reading engine: {provider}."),
        N_("Use gemini, mistral or local."),
    ),
    "provider_not_configured": Message(
        N_("The reading engine {provider} has no API key configured."),
        N_("Set its API key, or choose another engine."),
    ),
}


# --- field rules shared by every type (extraction/rules.py) -------------------------------------
RULES: dict[str, Message] = {
    "document_expired": Message(N_("The document expired on {date}.")),
    "date_not_real": Message(N_("The {field} value {value} is not a real date.")),
    "date_in_future": Message(N_("The {field} date ({date}) lies in the future.")),
    "dates_out_of_order": Message(
        N_("The {earlier} date ({earlier_date}) should precede the {later} date ({later_date}).")
    ),
    "format_invalid": Message(N_("The {field} value {value} does not have the expected format.")),
    "low_confidence": Message(N_("This value was read with low confidence: check it.")),
}


def _catalog() -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for table in (INTAKE, QUALITY, READING, DETECTION, IDENTITY, VEHICLE, PROVIDERS, RULES):
        merged.update(table)
    return merged


CATALOG: dict[str, Message] = _catalog()


def message_text(code: str, language: str, params: dict[str, str | int] | None = None) -> str:
    """The localized sentence for a finding code (the code itself if it is unknown)."""
    entry = CATALOG.get(code)
    if entry is None:
        return code
    return translate(language, entry.text, **(params or {}))


def advice_text(code: str, language: str) -> str | None:
    entry = CATALOG.get(code)
    return translate(language, entry.advice) if entry and entry.advice else None


def render_warning(finding: Finding, language: str) -> ScanWarning:
    return ScanWarning(
        code=finding.code,
        field=finding.field,
        message=message_text(finding.code, language, finding.params),
    )


def render_quality_issue(finding: Finding, language: str) -> QualityIssue:
    return QualityIssue(
        code=finding.code,
        message=message_text(finding.code, language, finding.params),
        advice=advice_text(finding.code, language),
    )
