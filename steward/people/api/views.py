from rest_framework import viewsets

TeamViewSet = UserViewSet = viewsets.ViewSet
