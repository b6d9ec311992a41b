// timeline.vert.glsl — one instance per timeline rectangle; six vertices each (two
// triangles) generated from gl_VertexID. The "#version" line is prepended at run time
// (300 es for WebGL2, 330 for the native window) so both use this one source.
layout(location = 0) in vec4 aRect;   // x0, y0, x1, y1 in ImGui display units
layout(location = 1) in vec4 aColor;  // RGBA, normalized from bytes
uniform vec2 uDisplay;                // ImGui DisplaySize
out vec4 vColor;

void main() {
    int id = gl_VertexID % 6;
    vec2 c = vec2((id == 1 || id == 2 || id == 4) ? 1.0 : 0.0, (id == 2 || id == 4 || id == 5) ? 1.0 : 0.0);
    // Never thinner than one display unit, so folded columns stay visible.
    float x1 = max(aRect.z, aRect.x + 1.0);
    vec2 p = vec2(mix(aRect.x, x1, c.x), mix(aRect.y, aRect.w, c.y));
    gl_Position = vec4(p.x / uDisplay.x * 2.0 - 1.0, 1.0 - p.y / uDisplay.y * 2.0, 0.0, 1.0);
    vColor = aColor;
}
