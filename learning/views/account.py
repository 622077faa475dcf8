"""The student's own account page: download everything, or delete the account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import services
from ..selectors.accounts import account_export


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext_lazy("That is not your password."))
        return password


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(user=request.user)
    return render(request, "learning/account.html", {"form": form})


@login_required
def account_download(request: HttpRequest) -> HttpResponse:
    data = json.dumps(account_export(request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-quiz-data-{day}.json"'
    return response


@login_required
@require_http_methods(["POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "learning/account.html", {"form": form}, status=400)
    try:
        services.account_delete(user=request.user)
    except services.Refused as error:
        messages.error(request, str(error))
        return redirect("learning:account")
    logout(request)
    messages.success(request, _("Your account and everything personal in it are deleted."))
    return redirect("learning:home")
