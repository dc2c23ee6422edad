#!/usr/bin/env bash
# Installs what the feed validation tests need (PyPI); idempotent and quiet when all is there.
#   jsonschema (JSON Schema 2020-12), openapi-spec-validator (OpenAPI 3.1), fhir.resources (FHIR R4B models),
#   feedparser (Atom), pytest.
#   usage: tests/feed/setup.sh && python3 -m pytest tests/feed
set -euo pipefail
need=()
python3 -c 'import jsonschema, referencing; from jsonschema import Draft202012Validator' 2>/dev/null || need+=("jsonschema>=4.18")
python3 -c 'import openapi_spec_validator; from openapi_spec_validator import OpenAPIV31SpecValidator' 2>/dev/null || need+=("openapi-spec-validator>=0.7")
python3 -c 'from fhir.resources.R4B.bundle import Bundle' 2>/dev/null || need+=("fhir.resources>=7")
python3 -c 'import feedparser' 2>/dev/null || need+=("feedparser")
python3 -c 'import pytest' 2>/dev/null || need+=("pytest")
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Python packages: ${need[*]}" >&2
  python3 -m pip install -q --disable-pip-version-check "${need[@]}"
fi
