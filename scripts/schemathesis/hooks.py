"""schemathesis hooks for scripts/schemathesis.sh.

One check is replaced: `positive_data_acceptance` says a request that the
document calls valid must not be refused. JSON Schema cannot state every rule
the daemon enforces, so this version accepts a refusal only when every reason
the daemon gives is one of the kinds listed below, each a rule no schema can
express, and the rule itself is stated in the document's descriptions and in
docs/business-rules.md. Any other 4xx for a schema-valid request still fails
the run, so a rule missing from the document is still found.
"""
import re

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# Reasons a schema-valid request is still refused, by kind.
RULES_BEYOND_SCHEMA = [
    # relative to the clock: "not in the future", and the clock-skew allowance
    re.compile(r"must not be in the future"),
    # between fields or against stored state: ends_on >= starts_on, an event
    # not before the previous one, to >= from
    re.compile(r"must not be before "),
    re.compile(r"must not be earlier than "),
    re.compile(r"must not be after "),
    re.compile(r"must lie within "),
    re.compile(r"the period may span at most ten years"),
    re.compile(r"must be after "),
    # an amendment to the tier already in force on its day (documented on the route)
    re.compile(r"is already in force on "),
    # resolving a request no contract covers needs its billable minutes (docs/business-rules.md)
    re.compile(r"is required to resolve an uncovered request"),
    # a field required only together with another value
    re.compile(r"is required with "),
    re.compile(r"is only valid with "),
    # values that must exist in the catalogue, which is configuration (the
    # document points to GET /v1/catalogue and GET /v1/cps/products)
    re.compile(r"unknown model "),
    re.compile(r"unknown product "),
    re.compile(r"is not an option of the \w+ package"),
    re.compile(r"has no working-day calendar in the catalogue"),
    # per-item references and standing judged against stored data, named at
    # the item (a batch's readings[i], a contract's device_serials[i], the
    # levels a member's points offer)
    re.compile(r"unknown device "),
    re.compile(r"is not registered to customer "),
    re.compile(r"is not on offer at \d+ points"),
    re.compile(r"is this account's own e-mail"),
    re.compile(r"is not in this member's Kitbag on "),
    re.compile(r"is below \d+ of the reading at "),
    re.compile(r"exceeds \d+ of the later reading at "),
    # equal after normalisation (serials ignore case), which uniqueItems
    # cannot see
    re.compile(r"must not repeat a device"),
    # imagePROGRAF: references to the dealer's technicians, claims and ASCR
    # registrations, the dealer's authorisation for the model's line, and
    # the eCarePak purchase window, all judged against stored data
    # (docs/imageprograf.md)
    re.compile(r"unknown technician "),
    re.compile(r"unknown claim "),
    re.compile(r"is not registered to dealer "),
    re.compile(r"is not authorised for "),
    re.compile(r"too late: an eCarePak for "),
    # escalation needs the minimum troubleshooting steps recorded on the case
    re.compile(r"required before escalation"),
    # a webhook endpoint's address literal (or localhost name) in an internal
    # range: the ranges are listed on the url field, a regular expression
    # for every range of IPv4 would be unreadable (docs: README "Webhooks")
    re.compile(r"an address in a private, loopback or link-local range"),
    # work orders: a device of the contract, time on the work order's timed
    # services, people given exactly for training (docs/business-rules.md)
    re.compile(r"is not covered by contract "),
    re.compile(r"must be a service of this work order recorded by time"),
    re.compile(r"is required for \w+: the inclusion covers groups up to"),
    re.compile(r"applies only to services whose inclusion depends on group size"),
]

# 412: If-Match names a version; a generated one is almost never current,
# and RFC 9110 requires 412 then.
PRECONDITION_FAILED = 412


def _reasons(response):
    try:
        body = response.json()
    except Exception:
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return None
    return [f"{error.get('field')}: {error.get('message')}" for error in errors]


@schemathesis.check
def positive_data_acceptance_beyond_schema(ctx, response, case):
    if response.status_code == PRECONDITION_FAILED and case.headers and "If-Match" in case.headers:
        return None
    if response.status_code == 422:
        reasons = _reasons(response)
        if reasons and all(any(rule.search(reason) for rule in RULES_BEYOND_SCHEMA) for reason in reasons):
            return None
    return positive_data_acceptance(ctx, response, case)
