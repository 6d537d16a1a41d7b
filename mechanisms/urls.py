app_name = "mechanisms"

urlpatterns: list = []
