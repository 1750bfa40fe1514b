def source_list(request):
    raise NotImplementedError


def source_detail(request, key):
    raise NotImplementedError
