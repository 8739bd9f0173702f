// The app's ECharts wrapper with what the measurement charts add: mark lines (the poverty line,
// mean, median), mark areas and the aria description. Registering them here keeps them in this
// page's lazily loaded chunk.
import * as echarts from 'echarts/core';
import { AriaComponent, MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import EChart from '../charts/EChart';

echarts.use([AriaComponent, MarkAreaComponent, MarkLineComponent]);

export default EChart;
