namespace Konvid.Core.Corpora;

/// <summary>
/// The scenes of the sample corpus, ordered so that any prefix is varied (a 3-scene test corpus gets synthetic
/// graphics, a fractal zoom and a cellular texture). Content spans flat areas, hard edges, fine texture, smooth
/// gradients, and still, scrolling, zooming and erratic motion, so one distortion costs different scenes different
/// amounts of SSIM, as with real footage.
/// </summary>
internal static class SampleScenes
{
    public static readonly IReadOnlyList<SampleScene> All =
    [
        new("testsrc2", "test pattern: colour bars, moving gradient line, counters", g =>
            $"testsrc2=size={g.Size}:rate={g.Rate},format=yuv420p"),
        new("mandelbrot", "fractal zoom: fine detail growing out of flat regions", g =>
            $"mandelbrot=size={g.Size}:rate={g.Rate}:maxiter=200:start_scale=1.5:end_scale=0.05:end_pts=100" +
            ":start_x=-0.743643887037151:start_y=0.131825904205330,format=yuv420p"),
        new("life", "Game of Life with mould trails: blocky texture, erratic motion", g =>
            $"life=size={g.Width / 4}x{g.Height / 4}:rate={g.Rate}:seed=7:mold=10:ratio=0.3" +
            $":life_color=#ffd040:death_color=#202060:mold_color=#60a040,scale={g.Width}:{g.Height}:flags=neighbor,format=yuv420p"),
        new("gradients", "drifting colour gradients: smooth, almost no detail", g =>
            $"gradients=size={g.Size}:rate={g.Rate}:speed=0.03:seed=3:nb_colors=5" +
            // The colours default to "random", which ffmpeg draws from /dev/urandom whatever the seed: fix them.
            ":c0=0x1f77b4:c1=0xff7f0e:c2=0x2ca02c:c3=0xd62728:c4=0x9467bd,format=yuv420p"),
        new("shapes", "flat boxes moving over a flat background", g =>
            $"color=c=0x305070:size={g.Size}:rate={g.Rate}[bg];" +
            $"color=c=orange:size={g.Width * 3 / 16}x{g.Height / 4}:rate={g.Rate}[a];" +
            $"color=c=white:size={g.Width / 8}x{g.Width / 8}:rate={g.Rate}[b];" +
            $"color=c=0xd02040:size={g.Width / 4}x{g.Height / 9}:rate={g.Rate}[c];" +
            $"[bg][a]overlay=x='W*0.42+W*0.2*sin(t*2)':y='H*0.3+H*0.22*cos(t*3)'[ab];" +
            $"[ab][b]overlay=x='W*0.8-W*0.25*t':y='H*0.55'[abc];" +
            $"[abc][c]overlay=x='W*0.08+W*0.1*t':y='H*0.74-H*0.15*t',format=yuv420p[out0]"),
        new("texture", "fine tinted grain panning diagonally", g =>
            $"color=c=gray:size={g.Width * 2}x{g.Height * 2}:rate={g.Rate},noise=alls=100:all_seed=3,gblur=sigma=2.5," +
            $"eq=contrast=2.5,hue=h=40:s=0.3,crop=w={g.Width}:h={g.Height}:x='{g.Width / 12}+t*{g.Width / 8}':y='{g.Height / 12}+t*{g.Height / 10}',format=yuv420p"),
        new("plasma", "animated sinusoidal plasma: saturated smooth colour", g =>
            $"color=c=black:size={g.Size}:rate={g.Rate},format=yuv420p," +
            $"geq=lum='128+60*sin(X/{Math.Max(1, g.Width / 21)}+T*3)+50*sin(Y/{Math.Max(1, g.Height / 21)}-T*2)'" +
            $":cb='128+60*sin((X+Y)/{Math.Max(1, g.Width / 15)}+T)':cr='128+60*cos(X/{Math.Max(1, g.Width / 25)}-T*1.5)'"),
        new("bars", "SMPTE HD colour bars scrolling sideways: hard vertical edges", g =>
            $"smptehdbars=size={g.Size}:rate={g.Rate},scroll=h=0.004,format=yuv420p"),
        new("colorchart", "colour checker under a slow centre zoom", g =>
            $"colorchart=rate={g.Rate}:patch_size=48x48,scale={g.Width}:{g.Height}," +
            $"zoompan=z='1+0.006*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s={g.Size}:fps={g.Rate},format=yuv420p"),
        new("cellauto", "rule-110 automaton scrolling down: dense binary texture", g =>
            $"cellauto=size={g.Width / 4}x{g.Height / 4}:rate={g.Rate}:rule=110:seed=11,scale={g.Width}:{g.Height}:flags=neighbor,format=yuv420p"),
        new("sierpinski", "Sierpinski carpet jumping: self-similar edges at every scale", g =>
            $"sierpinski=size={g.Size}:rate={g.Rate}:seed=5:jump=2:type=carpet,format=yuv420p"),
        new("rotating", "YUV test pattern rotating: diagonal edges, chroma ramps", g =>
            $"yuvtestsrc=size={g.Size}:rate={g.Rate},rotate=a='0.4*t':fillcolor=0x202020,format=yuv420p"),
    ];
}
