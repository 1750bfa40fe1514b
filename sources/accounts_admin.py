"""The team's accounts in the admin: curators manage editors and curators; superusers, anything.

Curators hold auth.change_user to manage the team, and Django's stock user admin would let them
make anyone a superuser, grant any permission or set anyone's password with it. So only
superusers get the stock admin; everyone else (curators) gets a narrow one:

- add an account: username, password (set once, here), groups among Editors and Curators;
- deactivate or reactivate an account, and move it between Editors and Curators. Membership of
  Curators brings the staff status the admin needs, and leaving Curators takes it away;
- never: superuser or staff flags, permissions, other groups, another person's password, or any
  change to an account that holds more than a curator could grant (a superuser's, one with
  permissions of its own or other groups) or to their own account (another curator does that).

What the form does not carry, a forged POST cannot set: the form has no such field, and the
groups field offers Editors and Curators only.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from sources.common.permissions import CURATORS, TEAM_GROUPS, can_manage_account


def team_groups():
    """The groups a curator may put people in."""
    return Group.objects.filter(name__in=TEAM_GROUPS).order_by("name")


def team_groups_field():
    return forms.ModelMultipleChoiceField(
        queryset=team_groups(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Editors edit sources and pages; curators also publish, lock, delete and "
        "manage accounts in the admin.",
    )


def team_groups_set(account, groups) -> None:
    """Make account a member of exactly these team groups; other groups stay as they are."""
    chosen = {group.pk for group in groups}
    account.groups.remove(*team_groups().exclude(pk__in=chosen))
    account.groups.add(*team_groups().filter(pk__in=chosen))


class CuratorAccountAddForm(UserCreationForm):
    """A new account as a curator makes it: username, password, team groups; nothing else."""

    groups = team_groups_field()

    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class CuratorAccountChangeForm(forms.ModelForm):
    """What a curator changes on an account: active or not, and its team groups."""

    groups = team_groups_field()

    class Meta:
        model = User
        fields = ("is_active",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["groups"] = list(team_groups().filter(user=self.instance))


sensitive_post_parameters_m = method_decorator(sensitive_post_parameters())

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin for superusers; the narrow one above for everyone else."""

    curator_add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "password1", "password2", "groups")},
        ),
    )
    curator_fieldsets = (
        (None, {"fields": ("username", "is_active", "groups")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Record", {"fields": ("is_staff", "last_login", "date_joined")}),
    )
    curator_readonly_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "last_login",
        "date_joined",
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.curator_fieldsets if obj is not None else self.curator_add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        return self.curator_readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = CuratorAccountAddForm if obj is None else CuratorAccountChangeForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return can_manage_account(request.user, obj)

    @sensitive_post_parameters_m
    def user_change_password(self, request, id, form_url=""):
        # Only superusers set another person's password; everyone sets their own through the
        # admin's "Change password", which asks for the old one.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Staff status follows membership of Curators, and nothing else a curator does.
            curator_now = any(group.name == CURATORS for group in form.cleaned_data["groups"])
            curator_before = change and obj.groups.filter(name=CURATORS).exists()
            if curator_now:
                obj.is_staff = True
            elif curator_before:
                obj.is_staff = obj.is_superuser
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if request.user.is_superuser:
            return super().save_related(request, form, formsets, change)
        # Not form.save_m2m(): that would set the groups to the chosen ones and drop others.
        team_groups_set(form.instance, form.cleaned_data["groups"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
