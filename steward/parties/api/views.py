from rest_framework import viewsets

OrganizationViewSet = SiteViewSet = ContactViewSet = RelationshipViewSet = (
    RelationshipMemberViewSet
) = viewsets.ViewSet
