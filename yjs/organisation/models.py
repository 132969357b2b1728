"""The organisation: a youth justice service, the local authorities it covers, its teams, staff."""

import rules
from django.contrib.auth.models import AbstractUser
from django.db import models


class Service(models.Model):
    """A youth justice service (YJS); one may cover two local authorities."""

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True)

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="local_authorities")
    name = models.CharField(max_length=120)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "PRACTITIONER", "Practitioner"
    TEAM_MANAGER = "TEAM_MANAGER", "Team manager"
    HEAD_OF_SERVICE = "HEAD_OF_SERVICE", "Head of service"
    PERFORMANCE_ANALYST = "PERFORMANCE_ANALYST", "Performance analyst"
    BOARD_MEMBER = "BOARD_MEMBER", "Board member"
    ADMIN = "ADMIN", "Administrator"


class User(AbstractUser):
    """A member of staff (or a board member) who signs in."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=120, blank=True)

    def __str__(self):
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        """The platform's own permissions are decided by its rules (yjs/permissions.py) alone:
        no blanket pass for a superuser, and no Django model permission granted in admin can
        open a child's record. Other permissions (admin's user management) work as usual."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class PopulationEstimate(models.Model):
    """ONS mid-year estimate of children by single year of age and sex (the KPI denominators)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="population"
    )
    year = models.PositiveSmallIntegerField(help_text="Mid-year of the estimate")
    age = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=[("1", "Male"), ("2", "Female")])
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year", "age", "sex"], name="population_unique"
            )
        ]


class EthnicPopulation(models.Model):
    """Census 2021 children aged 10–17 by ethnicity group (disproportionality denominators)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="ethnic_population"
    )
    year = models.PositiveSmallIntegerField(default=2021)
    ethnicity_group = models.CharField(max_length=12)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year", "ethnicity_group"],
                name="ethnic_population_unique",
            )
        ]


class LookedAfterPopulation(models.Model):
    """Children aged 10–17 looked after at 31 March (SSDA903): the care-status denominator
    for disproportionality; those not looked after are the ONS total minus these."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="looked_after_population"
    )
    year = models.PositiveSmallIntegerField(help_text="Year of the 31 March count")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year"], name="looked_after_population_unique"
            )
        ]
