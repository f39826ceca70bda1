"""Runs AWS's Nova checker (amzn-nova-forge's SFTDatasetValidator) over a Bedrock conversation
JSONL file, once for every Nova model, and prints what it found as JSON:
{"lines": N, "errors": {"model": "message", ...}}.

It runs in the venv `make validators` builds (devtools/validators/requirements.txt), since its
SDK cannot share ours; tests/evidence/validators/test_platform_validators.py calls it."""

from __future__ import annotations

import json
import sys
import warnings


def main(path: str) -> None:
    warnings.simplefilter("ignore")  # the SDK warns on import that it is deprecated
    from amzn_nova_forge import Model
    from amzn_nova_forge.dataset.dataset_validator import SFTDatasetValidator

    with open(path, encoding="utf-8") as file:
        records = [json.loads(line) for line in file]
    errors = {}
    for model in Model:
        try:
            SFTDatasetValidator().validate(iter(records), model)
        except ValueError as error:
            errors[model.name] = str(error)
    print(json.dumps({"lines": len(records), "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1])
