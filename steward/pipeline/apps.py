from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "steward.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline and forecast"

    def ready(self) -> None:
        from steward.pipeline.plugins import register

        register()
