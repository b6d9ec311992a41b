// timeline.frag.glsl — flat colour per timeline rectangle.
in vec4 vColor;
out vec4 fragColor;

void main() {
    fragColor = vColor;
}
