"""Expiry alerts at 60, 30, 7 days and on expiry, once each; the expired-certificate factor."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.compliance import selectors, services
from steward.compliance.choices import CertificationKind
from steward.compliance.models import CertificationAlertSent
from steward.compliance.services.alerts import EXPIRY_ALERT
from steward.compliance.tasks import certification_expiry_alerts
from steward.compliance.tests.factories import certificate, pdf, vendor_a, vendor_b
from steward.core.models import Notification
from steward.risk.panels import risk_factors

pytestmark = pytest.mark.django_db

EXPIRES = dt.date(2027, 3, 31)


def _alerts(user):
    return list(
        Notification.objects.filter(recipient=user, kind=EXPIRY_ALERT).values_list(
            "title", flat=True
        )
    )


def test_each_offset_is_sent_once_to_both_owners(cast) -> None:
    cert = certificate(cast, expires_on=EXPIRES)
    services.certification_update(
        actor=cast.owner, certification=cert, expected_version=1, owner=cast.member
    )
    # 61 days before: nothing yet
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=61)) == 0
    # 60 days before: the certificate's owner (member) and the vendor's owner (owner)
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=60)) == 2
    # The same day again, and the days after up to the 30-day mark: nothing new
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=60)) == 0
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=31)) == 0
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=30)) == 2
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=7)) == 2
    assert services.certification_alerts_deliver(day=EXPIRES) == 2
    assert services.certification_alerts_deliver(day=EXPIRES + dt.timedelta(days=1)) == 0
    assert sorted(
        CertificationAlertSent.objects.filter(recipient=cast.member).values_list(
            "offset", flat=True
        )
    ) == [0, 7, 30, 60]
    titles = _alerts(cast.member)
    assert any("expires in 60 days" in t for t in titles)
    assert any("expires today" in t for t in titles)
    assert len(_alerts(cast.owner)) == 4


def test_one_recipient_when_owner_and_vendor_owner_are_the_same(cast) -> None:
    certificate(cast, expires_on=EXPIRES)
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=7)) == 1


def test_a_missed_day_still_sends_the_alert_owed(cast) -> None:
    certificate(cast, expires_on=EXPIRES)
    # The job did not run on the 30-day mark; 25 days before it sends the 30-day alert
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=25)) == 1
    assert CertificationAlertSent.objects.get().offset == 30


def test_superseded_and_archived_certificates_are_not_alerted(cast) -> None:
    old = certificate(cast, expires_on=EXPIRES)
    services.certification_renew(
        actor=cast.owner,
        certification=old,
        effective_on=EXPIRES,
        expires_on=EXPIRES + dt.timedelta(days=365),
        upload=pdf("renewed.pdf"),
    )
    other = certificate(cast, expires_on=EXPIRES, title="Old ISO")
    services.certification_archive(actor=cast.owner, certification=other)
    assert services.certification_alerts_deliver(day=EXPIRES - dt.timedelta(days=7)) == 0


def test_the_task_runs_for_its_slot(cast) -> None:
    certificate(cast, expires_on=EXPIRES)
    result = certification_expiry_alerts.enqueue(slot=(EXPIRES - dt.timedelta(days=30)).isoformat())
    assert result.return_value == 1


def test_expired_certificates_raise_the_vendor_risk(cast) -> None:
    today = dt.date(2027, 6, 1)
    a, b = vendor_a(cast), vendor_b(cast)
    certificate(cast, kind=CertificationKind.SOC2_TYPE2, expires_on=dt.date(2027, 1, 1))
    certificate(
        cast, kind=CertificationKind.INSURANCE, title="Insurance", expires_on=dt.date(2027, 5, 31)
    )
    certificate(cast, kind=CertificationKind.ISO_27001, title="ISO", expires_on=dt.date(2028, 1, 1))
    certificate(
        cast,
        supplier=b,
        kind=CertificationKind.TAX_FORM,
        title="W-8",
        expires_on=dt.date(2027, 1, 1),
    )
    # A renewed one no longer counts
    old_dpa = certificate(
        cast, supplier=b, kind=CertificationKind.DPA, title="DPA", expires_on=dt.date(2027, 1, 1)
    )
    services.certification_renew(
        actor=cast.outsider,
        certification=old_dpa,
        effective_on=dt.date(2027, 1, 1),
        expires_on=dt.date(2030, 1, 1),
        upload=pdf(),
    )
    factors = selectors.expired_certificate_factors([a.pk, b.pk], today)
    assert [f.points for f in factors[a.pk]] == [15 + 5]
    assert [f.points for f in factors[b.pk]] == [5]
    # Through the risk registry, as the risk score reads it
    assert risk_factors([a.pk], today)[a.pk][0].points == 20


def test_expired_points_are_capped(cast) -> None:
    for number in range(4):
        certificate(
            cast,
            kind=CertificationKind.ISO_27001,
            title=f"ISO {number}",
            expires_on=dt.date(2027, 1, 1),
        )
    factors = selectors.expired_certificate_factors([vendor_a(cast).pk], dt.date(2027, 6, 1))
    assert factors[vendor_a(cast).pk][0].points == 45


def test_the_job_is_scheduled_daily() -> None:
    from steward.compliance.tasks import EXPIRY_ALERTS_JOB
    from steward.core.schedule import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == EXPIRY_ALERTS_JOB)
    assert job.task is certification_expiry_alerts
    assert job.cadence.describe() == "daily at 06:00"
