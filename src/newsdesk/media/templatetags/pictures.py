from django import template

from newsdesk.media.body import render_images
from newsdesk.media.rendering import BODY_SIZES
from newsdesk.media.rendering import picture as render_picture

register = template.Library()


@register.simple_tag
def picture(image, sizes: str = BODY_SIZES, eager: bool = False, css_class: str = ""):
    """Render a library image as <picture>; nothing when there is no image."""
    if image is None:
        return ""
    return render_picture(image, sizes=sizes, eager=eager, css_class=css_class)


@register.filter
def library_images(body: str):
    """Mark a sanitized article body safe, its images shown from the library."""
    return render_images(body)
