from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "danvan.orgs"
    label = "orgs"
